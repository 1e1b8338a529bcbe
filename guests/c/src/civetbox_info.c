/* What a guest can learn about its sandbox: built-in MIME types, features,
 * library initialisation, system and context information (JSON that says
 * nothing about the host), the configuration option table, and locks. The
 * tables are checked against libcivetweb by guests/c/misc_test.go. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "civetweb.h"

#if defined(__wasm__)
#include "civetbox_imports.h"
#define DOCUMENT_ROOT_GRANTED()                                                \
	(civetbox_host_grants() & CIVETBOX_GRANT_DOCUMENT_ROOT)
#else
/* Built natively only by the differential test, where no host grants. */
#define DOCUMENT_ROOT_GRANTED() 0
#endif

/* ---- built-in MIME types --------------------------------------------------- */

/* CivetWeb 1.15's table, byte for byte and in its order. */
static const struct {
	const char *ext;
	const char *type;
} mime_types[] = {
	{".bin", "application/octet-stream"},
	{".deb", "application/octet-stream"},
	{".dmg", "application/octet-stream"},
	{".dll", "application/octet-stream"},
	{".doc", "application/msword"},
	{".eps", "application/postscript"},
	{".exe", "application/octet-stream"},
	{".iso", "application/octet-stream"},
	{".js", "application/javascript"},
	{".json", "application/json"},
	{".msi", "application/octet-stream"},
	{".pdf", "application/pdf"},
	{".ps", "application/postscript"},
	{".rtf", "application/rtf"},
	{".xhtml", "application/xhtml+xml"},
	{".xsl", "application/xml"},
	{".xslt", "application/xml"},
	{".ttf", "application/font-sfnt"},
	{".cff", "application/font-sfnt"},
	{".otf", "application/font-sfnt"},
	{".aat", "application/font-sfnt"},
	{".sil", "application/font-sfnt"},
	{".pfr", "application/font-tdpfr"},
	{".woff", "application/font-woff"},
	{".woff2", "application/font-woff2"},
	{".mp3", "audio/mpeg"},
	{".oga", "audio/ogg"},
	{".ogg", "audio/ogg"},
	{".gif", "image/gif"},
	{".ief", "image/ief"},
	{".jpeg", "image/jpeg"},
	{".jpg", "image/jpeg"},
	{".jpm", "image/jpm"},
	{".jpx", "image/jpx"},
	{".png", "image/png"},
	{".svg", "image/svg+xml"},
	{".tif", "image/tiff"},
	{".tiff", "image/tiff"},
	{".wrl", "model/vrml"},
	{".css", "text/css"},
	{".csv", "text/csv"},
	{".htm", "text/html"},
	{".html", "text/html"},
	{".sgm", "text/sgml"},
	{".shtm", "text/html"},
	{".shtml", "text/html"},
	{".txt", "text/plain"},
	{".xml", "text/xml"},
	{".mov", "video/quicktime"},
	{".mp4", "video/mp4"},
	{".mpeg", "video/mpeg"},
	{".mpg", "video/mpeg"},
	{".ogv", "video/ogg"},
	{".qt", "video/quicktime"},
	{".arj", "application/x-arj-compressed"},
	{".gz", "application/x-gunzip"},
	{".rar", "application/x-arj-compressed"},
	{".swf", "application/x-shockwave-flash"},
	{".tar", "application/x-tar"},
	{".tgz", "application/x-tar-gz"},
	{".torrent", "application/x-bittorrent"},
	{".ppt", "application/x-mspowerpoint"},
	{".xls", "application/x-msexcel"},
	{".zip", "application/x-zip-compressed"},
	{".aac", "audio/aac"},
	{".flac", "audio/flac"},
	{".aif", "audio/x-aif"},
	{".m3u", "audio/x-mpegurl"},
	{".mid", "audio/x-midi"},
	{".ra", "audio/x-pn-realaudio"},
	{".ram", "audio/x-pn-realaudio"},
	{".wav", "audio/x-wav"},
	{".bmp", "image/bmp"},
	{".ico", "image/x-icon"},
	{".pct", "image/x-pct"},
	{".pict", "image/pict"},
	{".rgb", "image/x-rgb"},
	{".webm", "video/webm"},
	{".asf", "video/x-ms-asf"},
	{".avi", "video/x-msvideo"},
	{".m4v", "video/x-m4v"},
};

const char *
mg_get_builtin_mime_type(const char *file_name)
{
	size_t len, ext_len, i;

	/* CivetWeb would crash; a missing name has no extension either. */
	if (file_name == NULL) {
		return "text/plain";
	}
	len = strlen(file_name);
	for (i = 0; i < sizeof(mime_types) / sizeof(mime_types[0]); i++) {
		ext_len = strlen(mime_types[i].ext);
		/* The name must be longer than the suffix: ".js" alone is not
		 * JavaScript, but "a.js" and ".x.js" are. */
		if (len > ext_len &&
		    mg_strcasecmp(file_name + len - ext_len, mime_types[i].ext) == 0) {
			return mime_types[i].type;
		}
	}
	return "text/plain";
}

/* ---- features and library initialisation ---------------------------------- */

/* Only static files (from a document root the host grants) and their cache
 * headers can be offered: the guest cannot open sockets, spawn CGI
 * processes, hold websockets, run Lua or JavaScript, keep server statistics
 * or do TLS, compression, HTTP/2, IPv6 or unix sockets itself; the host
 * does what it does of those for it. CivetWeb's undocumented build bits
 * (legacy, experimental, response buffering) are not reported either. */
#define SANDBOX_FEATURES (MG_FEATURES_FILES | MG_FEATURES_CACHE)

unsigned
mg_check_feature(unsigned feature)
{
	return feature & SANDBOX_FEATURES;
}

unsigned
mg_init_library(unsigned features)
{
	/* As in CivetWeb: only the low eight feature bits are considered, and
	 * the result is those of them that are available. There is nothing to
	 * set up, so it never fails. */
	return mg_check_feature(features & 0xFFu);
}

unsigned
mg_exit_library(void)
{
	return 1; /* nothing was set up, so nothing can fail */
}

/* ---- system and context information (JSON) -------------------------------- */

/* Builds a JSON object the way CivetWeb does, in its layout ("{", one
 * "\n\"key\" : value" per member with commas between, "\n}\n"). Members
 * are written whole or not at all and none after one that did not fit; the
 * closing lines keep their room whenever the buffer can hold them, so a
 * cut-short result is still an object. The return value is always the
 * length of the complete object. */
#define JSON_CLOSE "\n}\n"

struct json_out {
	char *buf;     /* NULL when only measuring */
	size_t room;   /* bytes members may still use */
	size_t pos;    /* bytes written */
	size_t total;  /* length of the complete object */
	int members;   /* members added so far */
	int full;      /* a member did not fit */
	int closeable; /* room for JSON_CLOSE is kept */
};

static void
json_piece(struct json_out *o, const char *piece)
{
	size_t len = strlen(piece);

	o->total += len;
	if (o->buf == NULL || o->full || len > o->room) {
		o->full = 1;
		return;
	}
	memcpy(o->buf + o->pos, piece, len);
	o->pos += len;
	o->room -= len;
}

static void
json_begin(struct json_out *o, char *buffer, int buflen)
{
	memset(o, 0, sizeof(*o));
	if (buffer != NULL && buflen > 0) {
		o->buf = buffer;
		o->room = (size_t)buflen - 1; /* the NUL */
		buffer[0] = '\0';
		if (o->room >= strlen(JSON_CLOSE)) {
			o->room -= strlen(JSON_CLOSE);
			o->closeable = 1;
		}
	}
	json_piece(o, "{");
}

static void json_member(struct json_out *o, const char *key, const char *fmt, ...)
    PRINTF_ARGS(3, 4);

static void
json_member(struct json_out *o, const char *key, const char *fmt, ...)
{
	char block[256];
	va_list ap;
	int n;

	n = snprintf(block, sizeof(block), "%s\n\"%s\" : ", o->members ? "," : "", key);
	va_start(ap, fmt);
	vsnprintf(block + n, sizeof(block) - (size_t)n, fmt, ap);
	va_end(ap);
	o->members++;
	json_piece(o, block);
}

static int
json_end(struct json_out *o)
{
	o->total += strlen(JSON_CLOSE);
	if (o->buf != NULL) {
		if (o->closeable) {
			memcpy(o->buf + o->pos, JSON_CLOSE, strlen(JSON_CLOSE));
			o->pos += strlen(JSON_CLOSE);
		}
		o->buf[o->pos] = '\0';
	}
	return (int)o->total;
}

/* Nothing about the host may leak into a guest (no OS, kernel, hostname,
 * CPU, paths or build date): only what is true of every civetbox guest. */
int
mg_get_system_info(char *buffer, int buflen)
{
	struct json_out o;

	json_begin(&o, buffer, buflen);
	json_member(&o, "version", "\"%s\"", CIVETWEB_VERSION);
	json_member(&o, "os", "\"%s\"", "wasm32-wasi");
	json_member(&o, "features", "%u", mg_check_feature(0xFFFFFFFFu));
	json_member(&o, "feature_list", "\"Server:%s%s\"",
	            mg_check_feature(MG_FEATURES_FILES) ? " Files" : "",
	            mg_check_feature(MG_FEATURES_CACHE) ? " Cache" : "");
	json_member(&o, "sandbox", "\"%s\"", "civetbox");
	json_member(&o, "abi", "%d", CIVETBOX_ABI_VERSION);
	return json_end(&o);
}

/* CivetWeb's context information is server statistics, which an instance
 * serving one request at a time does not keep; "stats" says so. */
int
mg_get_context_info(const struct mg_context *ctx, char *buffer, int buflen)
{
	struct json_out o;

	(void)ctx;
	json_begin(&o, buffer, buflen);
	json_member(&o, "sandbox", "\"%s\"", "civetbox");
	json_member(&o, "abi", "%d", CIVETBOX_ABI_VERSION);
	json_member(&o, "stats", "%s", "false");
	return json_end(&o);
}

/* ---- locks ------------------------------------------------------------------ */

/* An instance runs one request at a time on one thread (wasm32-wasi has no
 * threads), so there is nothing to exclude; the calls stay as markers. */
void
mg_lock_connection(struct mg_connection *conn)
{
	(void)conn;
}

void
mg_unlock_connection(struct mg_connection *conn)
{
	(void)conn;
}

void
mg_lock_context(struct mg_context *ctx)
{
	(void)ctx;
}

void
mg_unlock_context(struct mg_context *ctx)
{
	(void)ctx;
}

/* ---- configuration options ------------------------------------------------- */

/* CivetWeb 1.15's option table as Debian's libcivetweb builds it (Linux,
 * with TLS, CGI, websockets and caching; without Lua, Duktape, HTTP/2 or
 * timers): handlers may iterate it, so it is data, byte for byte. */
static const struct mg_option options[] = {
	{"listening_ports", MG_CONFIG_TYPE_STRING_LIST, "8080"},
	{"num_threads", MG_CONFIG_TYPE_NUMBER, "50"},
	{"run_as_user", MG_CONFIG_TYPE_STRING, NULL},
	{"tcp_nodelay", MG_CONFIG_TYPE_NUMBER, "0"},
	{"max_request_size", MG_CONFIG_TYPE_NUMBER, "16384"},
	{"linger_timeout_ms", MG_CONFIG_TYPE_NUMBER, NULL},
	{"connection_queue", MG_CONFIG_TYPE_NUMBER, "20"},
	{"listen_backlog", MG_CONFIG_TYPE_NUMBER, "200"},
	{"allow_sendfile_call", MG_CONFIG_TYPE_BOOLEAN, "yes"},
	{"throttle", MG_CONFIG_TYPE_STRING_LIST, NULL},
	{"enable_keep_alive", MG_CONFIG_TYPE_BOOLEAN, "no"},
	{"request_timeout_ms", MG_CONFIG_TYPE_NUMBER, "30000"},
	{"keep_alive_timeout_ms", MG_CONFIG_TYPE_NUMBER, "500"},
	{"websocket_timeout_ms", MG_CONFIG_TYPE_NUMBER, NULL},
	{"enable_websocket_ping_pong", MG_CONFIG_TYPE_BOOLEAN, "no"},
	{"decode_url", MG_CONFIG_TYPE_BOOLEAN, "yes"},
	{"decode_query_string", MG_CONFIG_TYPE_BOOLEAN, "no"},
	{"document_root", MG_CONFIG_TYPE_DIRECTORY, NULL},
	{"access_log_file", MG_CONFIG_TYPE_FILE, NULL},
	{"error_log_file", MG_CONFIG_TYPE_FILE, NULL},
	{"cgi_pattern", MG_CONFIG_TYPE_EXT_PATTERN, "**.cgi$|**.pl$|**.php$"},
	{"cgi_environment", MG_CONFIG_TYPE_STRING_LIST, NULL},
	{"cgi_interpreter", MG_CONFIG_TYPE_FILE, NULL},
	{"cgi_interpreter_args", MG_CONFIG_TYPE_STRING, NULL},
	{"cgi2_pattern", MG_CONFIG_TYPE_EXT_PATTERN, NULL},
	{"cgi2_environment", MG_CONFIG_TYPE_STRING_LIST, NULL},
	{"cgi2_interpreter", MG_CONFIG_TYPE_FILE, NULL},
	{"cgi2_interpreter_args", MG_CONFIG_TYPE_STRING, NULL},
	{"put_delete_auth_file", MG_CONFIG_TYPE_FILE, NULL},
	{"protect_uri", MG_CONFIG_TYPE_STRING_LIST, NULL},
	{"authentication_domain", MG_CONFIG_TYPE_STRING, "mydomain.com"},
	{"enable_auth_domain_check", MG_CONFIG_TYPE_BOOLEAN, "yes"},
	{"ssi_pattern", MG_CONFIG_TYPE_EXT_PATTERN, "**.shtml$|**.shtm$"},
	{"enable_directory_listing", MG_CONFIG_TYPE_BOOLEAN, "yes"},
	{"global_auth_file", MG_CONFIG_TYPE_FILE, NULL},
	{"index_files", MG_CONFIG_TYPE_STRING_LIST,
	 "index.xhtml,index.html,index.htm,index.cgi,index.shtml,index.php"},
	{"access_control_list", MG_CONFIG_TYPE_STRING_LIST, NULL},
	{"extra_mime_types", MG_CONFIG_TYPE_STRING_LIST, NULL},
	{"ssl_certificate", MG_CONFIG_TYPE_FILE, NULL},
	{"ssl_certificate_chain", MG_CONFIG_TYPE_FILE, NULL},
	{"url_rewrite_patterns", MG_CONFIG_TYPE_STRING_LIST, NULL},
	{"hide_files_patterns", MG_CONFIG_TYPE_EXT_PATTERN, NULL},
	{"ssl_verify_peer", MG_CONFIG_TYPE_YES_NO_OPTIONAL, "no"},
	{"ssl_cache_timeout", MG_CONFIG_TYPE_NUMBER, "-1"},
	{"ssl_ca_path", MG_CONFIG_TYPE_DIRECTORY, NULL},
	{"ssl_ca_file", MG_CONFIG_TYPE_FILE, NULL},
	{"ssl_verify_depth", MG_CONFIG_TYPE_NUMBER, "9"},
	{"ssl_default_verify_paths", MG_CONFIG_TYPE_BOOLEAN, "yes"},
	{"ssl_cipher_list", MG_CONFIG_TYPE_STRING, NULL},
	{"ssl_protocol_version", MG_CONFIG_TYPE_NUMBER, "4"},
	{"ssl_short_trust", MG_CONFIG_TYPE_BOOLEAN, "no"},
	{"websocket_root", MG_CONFIG_TYPE_DIRECTORY, NULL},
	{"access_control_allow_origin", MG_CONFIG_TYPE_STRING, "*"},
	{"access_control_allow_methods", MG_CONFIG_TYPE_STRING, "*"},
	{"access_control_allow_headers", MG_CONFIG_TYPE_STRING, "*"},
	{"error_pages", MG_CONFIG_TYPE_DIRECTORY, NULL},
	{"static_file_max_age", MG_CONFIG_TYPE_NUMBER, "3600"},
	{"static_file_cache_control", MG_CONFIG_TYPE_STRING, NULL},
	{"strict_transport_security_max_age", MG_CONFIG_TYPE_NUMBER, NULL},
	{"additional_header", MG_CONFIG_TYPE_STRING_MULTILINE, NULL},
	{"allow_index_script_resource", MG_CONFIG_TYPE_BOOLEAN, "no"},
	{NULL, MG_CONFIG_TYPE_UNKNOWN, NULL},
};

const struct mg_option *
mg_get_valid_options(void)
{
	return options;
}

/* Nothing is configured inside the sandbox: a valid name gives "" (what
 * CivetWeb returns for an unset option), any other name NULL. Names are
 * compared exactly, as in CivetWeb. The one exception is document_root:
 * "." when the host grants one, as file paths are relative to it. */
const char *
mg_get_option(const struct mg_context *ctx, const char *name)
{
	const struct mg_option *o;

	(void)ctx;
	if (name == NULL) {
		return NULL; /* CivetWeb would crash */
	}
	if (strcmp(name, "document_root") == 0) {
		return DOCUMENT_ROOT_GRANTED() ? "." : "";
	}
	for (o = options; o->name != NULL; o++) {
		if (strcmp(o->name, name) == 0) {
			return "";
		}
	}
	return NULL;
}
