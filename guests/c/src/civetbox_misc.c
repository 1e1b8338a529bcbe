/* The rest of CivetWeb's API as the sandbox can offer it: MD5, MIME types,
 * base64, feature and system information, the configuration option table,
 * and stubs for what a guest cannot do (network clients, websockets,
 * threads, starting servers, password files).
 *
 * The stubs exist so CivetWeb sources link unchanged. Each returns the
 * value CivetWeb documents for that function's failure, fills any error
 * buffer it is given, and says in the server log (mg_cry) which function a
 * ported program still relies on. guests/c/misc_test.go checks the data
 * tables and MD5 against libcivetweb and the base64 functions against
 * CivetWeb 1.16's semantics. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "civetweb.h"

/* ---- MD5 (RFC 1321) ------------------------------------------------------ */

struct md5 {
	uint32_t h[4];
	uint64_t len; /* bytes hashed so far */
	unsigned char block[64];
};

/* floor(abs(sin(i + 1)) * 2^32), from RFC 1321. */
static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Rotation amounts: four per round, repeated across its 16 steps. */
static const unsigned char md5_shift[16] = {
	7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21,
};

static uint32_t
rotl32(uint32_t x, unsigned n)
{
	return x << n | x >> (32 - n); /* n is never 0 here */
}

static void
md5_block(uint32_t h[4], const unsigned char *p)
{
	uint32_t m[16], a = h[0], b = h[1], c = h[2], d = h[3], f, t;
	unsigned i, g;

	for (i = 0; i < 16; i++) {
		m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
		       (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
	}
	for (i = 0; i < 64; i++) {
		switch (i / 16) {
		case 0:
			f = (b & c) | (~b & d);
			g = i;
			break;
		case 1:
			f = (d & b) | (~d & c);
			g = 5 * i + 1;
			break;
		case 2:
			f = b ^ c ^ d;
			g = 3 * i + 5;
			break;
		default:
			f = c ^ (b | ~d);
			g = 7 * i;
			break;
		}
		t = d;
		d = c;
		c = b;
		b += rotl32(a + f + md5_k[i] + m[g % 16], md5_shift[i / 16 * 4 + i % 4]);
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
}

static void
md5_update(struct md5 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t used = (size_t)(s->len % 64), take;

	s->len += n;
	while (n > 0) {
		take = 64 - used < n ? 64 - used : n;
		memcpy(s->block + used, p, take);
		used += take;
		p += take;
		n -= take;
		if (used == 64) {
			md5_block(s->h, s->block);
			used = 0;
		}
	}
}

/* Pads, and writes the digest as 32 lowercase hex digits and a NUL. */
static void
md5_hex(struct md5 *s, char out[33])
{
	static const unsigned char pad[64] = {0x80};
	static const char hex[] = "0123456789abcdef";
	uint64_t bits = s->len * 8;
	unsigned char len_le[8], byte;
	int i;

	for (i = 0; i < 8; i++) {
		len_le[i] = (unsigned char)(bits >> (8 * i));
	}
	/* 0x80 and zeros up to 56 bytes into a block, then the bit length. */
	md5_update(s, pad, 1 + (119 - (size_t)(s->len % 64)) % 64);
	md5_update(s, len_le, sizeof(len_le));
	for (i = 0; i < 16; i++) {
		byte = (unsigned char)(s->h[i / 4] >> (8 * (i % 4)));
		out[2 * i] = hex[byte >> 4];
		out[2 * i + 1] = hex[byte & 15];
	}
	out[32] = '\0';
}

char *
mg_md5(char buf[33], ...)
{
	struct md5 s = {{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476}, 0, {0}};
	const char *p;
	va_list ap;

	/* CivetWeb would crash; in wasm the write would land at address 0. */
	if (buf == NULL) {
		return NULL;
	}
	va_start(ap, buf);
	while ((p = va_arg(ap, const char *)) != NULL) {
		md5_update(&s, p, strlen(p));
	}
	va_end(ap);
	md5_hex(&s, buf);
	return buf;
}

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

/* ---- base64 (CivetWeb 1.16) ---------------------------------------------- */

/* CivetWeb 1.16's results, odd ones included: -1 is success, and *dst_len
 * counts the terminating NUL. A NULL dst (which would crash CivetWeb) is
 * treated as a buffer of size 0. */
int
mg_base64_encode(const unsigned char *src,
                 size_t src_len,
                 char *dst,
                 size_t *dst_len)
{
	static const char digits[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t need = (src_len + 2) / 3 * 4 + 1, in, left, out = 0;
	uint32_t group;

	if (src == NULL && src_len > 0) {
		return 0; /* nothing sensible to encode or to measure */
	}
	if (dst == NULL || (dst_len != NULL && *dst_len < need)) {
		/* Too small: an empty string if possible, and the size needed. */
		if (dst != NULL && *dst_len > 0) {
			dst[0] = '\0';
		}
		if (dst_len != NULL) {
			*dst_len = need;
		}
		return 0;
	}
	for (in = 0; in < src_len; in += 3) {
		left = src_len - in;
		group = (uint32_t)src[in] << 16;
		if (left > 1) {
			group |= (uint32_t)src[in + 1] << 8;
		}
		if (left > 2) {
			group |= src[in + 2];
		}
		dst[out++] = digits[group >> 18];
		dst[out++] = digits[group >> 12 & 63];
		dst[out++] = left > 1 ? digits[group >> 6 & 63] : '=';
		dst[out++] = left > 2 ? digits[group & 63] : '=';
	}
	dst[out++] = '\0';
	if (dst_len != NULL) {
		*dst_len = out;
	}
	return -1;
}

enum { B64_PAD = 64, B64_BAD = 65 };

/* The value of src[i] as a base64 digit, B64_PAD for '=', B64_BAD for any
 * other byte and for positions past src_len. */
static unsigned
b64_value(const char *src, size_t src_len, size_t i)
{
	char c;

	if (i >= src_len) {
		return B64_BAD;
	}
	c = src[i];
	if (c >= 'A' && c <= 'Z') {
		return (unsigned)(c - 'A');
	}
	if (c >= 'a' && c <= 'z') {
		return (unsigned)(c - 'a' + 26);
	}
	if (c >= '0' && c <= '9') {
		return (unsigned)(c - '0' + 52);
	}
	switch (c) {
	case '+':
		return 62;
	case '/':
		return 63;
	case '=':
		return B64_PAD;
	default:
		return B64_BAD;
	}
}

/* Stores a decoded byte if it fits, and counts it either way. */
static void
b64_put(unsigned char *dst, size_t limit, size_t *used, unsigned byte)
{
	if (*used < limit) {
		dst[*used] = (unsigned char)byte;
	}
	(*used)++;
}

/* CivetWeb 1.16 decodes groups of four characters and returns:
 *   -1 on success, *dst_len = decoded bytes + 1 (a NUL is appended);
 *    0 if dst is too small: what fits is written, *dst_len = size needed;
 *    i > 0 (or 0!) the index of the first invalid character: *dst_len = 0,
 *      the groups before it stay decoded in dst.
 * A group must have all four characters (no unpadded input), '=' may not
 * be its first or second character, and a '=' third character ends the
 * group after one byte whatever the fourth is; decoding goes on with the
 * next group, so padding may also appear mid-string. */
int
mg_base64_decode(const char *src,
                 size_t src_len,
                 unsigned char *dst,
                 size_t *dst_len)
{
	size_t limit = (size_t)-1, used = 0, i;
	unsigned a, b, c, d;

	if (dst_len != NULL) {
		limit = *dst_len;
		*dst_len = 0;
	}
	if (dst == NULL) {
		limit = 0; /* measure only, where CivetWeb would crash */
	}
	if (src == NULL && src_len > 0) {
		return 0;
	}
	for (i = 0; i < src_len; i += 4) {
		if ((a = b64_value(src, src_len, i)) >= B64_PAD) {
			return (int)i;
		}
		if ((b = b64_value(src, src_len, i + 1)) >= B64_PAD) {
			return (int)(i + 1);
		}
		if ((c = b64_value(src, src_len, i + 2)) == B64_BAD) {
			return (int)(i + 2);
		}
		if ((d = b64_value(src, src_len, i + 3)) == B64_BAD) {
			return (int)(i + 3);
		}
		b64_put(dst, limit, &used, (a << 2 | b >> 4) & 0xff);
		if (c != B64_PAD) {
			b64_put(dst, limit, &used, (b << 4 | c >> 2) & 0xff);
			if (d != B64_PAD) {
				b64_put(dst, limit, &used, (c << 6 | d) & 0xff);
			}
		}
	}
	b64_put(dst, limit, &used, '\0');
	if (dst_len != NULL) {
		*dst_len = used;
	}
	return used > limit ? 0 : -1;
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
 * compared exactly, as in CivetWeb. */
const char *
mg_get_option(const struct mg_context *ctx, const char *name)
{
	const struct mg_option *o;

	(void)ctx;
	if (name == NULL) {
		return NULL; /* CivetWeb would crash */
	}
	for (o = options; o->name != NULL; o++) {
		if (strcmp(o->name, name) == 0) {
			return "";
		}
	}
	return NULL;
}

/* ---- what the sandbox cannot do ----------------------------------------- */

/* One log line per call, so the server log says which CivetWeb feature a
 * ported program still relies on. */
static void
unavailable(const char *func)
{
	mg_cry(NULL, "%s: not available in the civetbox sandbox", func);
}

/* The message CivetWeb would leave in a caller's error buffer. */
static void
error_text(char *buf, size_t size, const char *func)
{
	if (buf != NULL && size > 0) {
		snprintf(buf, size, "%s is not available in the civetbox sandbox", func);
	}
}

static struct mg_connection *
no_client(const char *func, char *error_buffer, size_t error_buffer_size)
{
	error_text(error_buffer, error_buffer_size, func);
	unavailable(func);
	return NULL;
}

/* Client API: a guest has no sockets, so every connection attempt fails
 * the way CivetWeb's does, with NULL and a message in the error buffer. */

struct mg_connection *
mg_download(const char *host,
            int port,
            int use_ssl,
            char *error_buffer,
            size_t error_buffer_size,
            const char *request_fmt,
            ...)
{
	(void)host;
	(void)port;
	(void)use_ssl;
	(void)request_fmt;
	return no_client("mg_download", error_buffer, error_buffer_size);
}

struct mg_connection *
mg_connect_client(const char *host,
                  int port,
                  int use_ssl,
                  char *error_buffer,
                  size_t error_buffer_size)
{
	(void)host;
	(void)port;
	(void)use_ssl;
	return no_client("mg_connect_client", error_buffer, error_buffer_size);
}

struct mg_connection *
mg_connect_client_secure(const struct mg_client_options *client_options,
                         char *error_buffer,
                         size_t error_buffer_size)
{
	(void)client_options;
	return no_client("mg_connect_client_secure", error_buffer,
	                 error_buffer_size);
}

struct mg_connection *
mg_connect_websocket_client(const char *host,
                            int port,
                            int use_ssl,
                            char *error_buffer,
                            size_t error_buffer_size,
                            const char *path,
                            const char *origin,
                            mg_websocket_data_handler data_func,
                            mg_websocket_close_handler close_func,
                            void *user_data)
{
	(void)host;
	(void)port;
	(void)use_ssl;
	(void)path;
	(void)origin;
	(void)data_func;
	(void)close_func;
	(void)user_data;
	return no_client("mg_connect_websocket_client", error_buffer,
	                 error_buffer_size);
}

struct mg_connection *
mg_connect_websocket_client_extensions(const char *host,
                                       int port,
                                       int use_ssl,
                                       char *error_buffer,
                                       size_t error_buffer_size,
                                       const char *path,
                                       const char *origin,
                                       const char *extensions,
                                       mg_websocket_data_handler data_func,
                                       mg_websocket_close_handler close_func,
                                       void *user_data)
{
	(void)host;
	(void)port;
	(void)use_ssl;
	(void)path;
	(void)origin;
	(void)extensions;
	(void)data_func;
	(void)close_func;
	(void)user_data;
	return no_client("mg_connect_websocket_client_extensions", error_buffer,
	                 error_buffer_size);
}

struct mg_connection *
mg_connect_websocket_client_secure(
    const struct mg_client_options *client_options,
    char *error_buffer,
    size_t error_buffer_size,
    const char *path,
    const char *origin,
    mg_websocket_data_handler data_func,
    mg_websocket_close_handler close_func,
    void *user_data)
{
	(void)client_options;
	(void)path;
	(void)origin;
	(void)data_func;
	(void)close_func;
	(void)user_data;
	return no_client("mg_connect_websocket_client_secure", error_buffer,
	                 error_buffer_size);
}

struct mg_connection *
mg_connect_websocket_client_secure_extensions(
    const struct mg_client_options *client_options,
    char *error_buffer,
    size_t error_buffer_size,
    const char *path,
    const char *origin,
    const char *extensions,
    mg_websocket_data_handler data_func,
    mg_websocket_close_handler close_func,
    void *user_data)
{
	(void)client_options;
	(void)path;
	(void)origin;
	(void)extensions;
	(void)data_func;
	(void)close_func;
	(void)user_data;
	return no_client("mg_connect_websocket_client_secure_extensions",
	                 error_buffer, error_buffer_size);
}

int
mg_get_response(struct mg_connection *conn,
                char *ebuf,
                size_t ebuf_len,
                int timeout)
{
	(void)conn;
	(void)timeout;
	error_text(ebuf, ebuf_len, "mg_get_response");
	unavailable("mg_get_response");
	return -1;
}

/* No client connection can exist; like CivetWeb, NULL is ignored quietly,
 * and anything else (the request's own connection) is left open. */
void
mg_close_connection(struct mg_connection *conn)
{
	if (conn != NULL) {
		unavailable("mg_close_connection");
	}
}

/* CivetWeb returns NULL, without a message, for any connection that is
 * not a client's, and every connection in the sandbox is a server's. */
const struct mg_response_info *
mg_get_response_info(const struct mg_connection *conn)
{
	(void)conn;
	return NULL;
}

/* Websockets: handlers are never called, and writes fail with CivetWeb's
 * error value. */

void
mg_set_websocket_handler(struct mg_context *ctx,
                         const char *uri,
                         mg_websocket_connect_handler connect_handler,
                         mg_websocket_ready_handler ready_handler,
                         mg_websocket_data_handler data_handler,
                         mg_websocket_close_handler close_handler,
                         void *cbdata)
{
	(void)ctx;
	(void)uri;
	(void)connect_handler;
	(void)ready_handler;
	(void)data_handler;
	(void)close_handler;
	(void)cbdata;
	unavailable("mg_set_websocket_handler");
}

void
mg_set_websocket_handler_with_subprotocols(
    struct mg_context *ctx,
    const char *uri,
    struct mg_websocket_subprotocols *subprotocols,
    mg_websocket_connect_handler connect_handler,
    mg_websocket_ready_handler ready_handler,
    mg_websocket_data_handler data_handler,
    mg_websocket_close_handler close_handler,
    void *cbdata)
{
	(void)ctx;
	(void)uri;
	(void)subprotocols;
	(void)connect_handler;
	(void)ready_handler;
	(void)data_handler;
	(void)close_handler;
	(void)cbdata;
	unavailable("mg_set_websocket_handler_with_subprotocols");
}

int
mg_websocket_write(struct mg_connection *conn,
                   int opcode,
                   const char *data,
                   size_t data_len)
{
	(void)conn;
	(void)opcode;
	(void)data;
	(void)data_len;
	unavailable("mg_websocket_write");
	return -1;
}

int
mg_websocket_client_write(struct mg_connection *conn,
                          int opcode,
                          const char *data,
                          size_t data_len)
{
	(void)conn;
	(void)opcode;
	(void)data;
	(void)data_len;
	unavailable("mg_websocket_client_write");
	return -1;
}

/* Threads: wasm32-wasi has none; -1 is what CivetWeb returns when it
 * cannot create one (on Windows; pthreads give an errno, also non-zero). */
int
mg_start_thread(mg_thread_func_t f, void *p)
{
	(void)f;
	(void)p;
	unavailable("mg_start_thread");
	return -1;
}

/* Server lifecycle: the host runs the server and calls civetbox_init
 * instead of main(). mg_start fails (NULL), so a ported main() that still
 * calls it stops with a clear message rather than running half-started.
 * mg_start2 and mg_start_domain2 fill the error text; the error code is
 * left alone, as CivetWeb 1.15 never stores one. */

struct mg_context *
mg_start(const struct mg_callbacks *callbacks,
         void *user_data,
         const char **configuration_options)
{
	(void)callbacks;
	(void)user_data;
	(void)configuration_options;
	unavailable("mg_start");
	return NULL;
}

static void
error_data_text(struct mg_error_data *error, const char *func)
{
	if (error != NULL) {
		error_text(error->text, error->text_buffer_size, func);
	}
}

struct mg_context *
mg_start2(struct mg_init_data *init, struct mg_error_data *error)
{
	(void)init;
	error_data_text(error, "mg_start2");
	unavailable("mg_start2");
	return NULL;
}

/* The host owns the context and stops it; mg_stop(NULL) is a quiet no-op
 * in CivetWeb too. */
void
mg_stop(struct mg_context *ctx)
{
	if (ctx != NULL) {
		unavailable("mg_stop");
	}
}

/* -1 is CivetWeb's first error code for domains ("parameter error"). */
int
mg_start_domain(struct mg_context *ctx, const char **configuration_options)
{
	(void)ctx;
	(void)configuration_options;
	unavailable("mg_start_domain");
	return -1;
}

int
mg_start_domain2(struct mg_context *ctx,
                 const char **configuration_options,
                 struct mg_error_data *error)
{
	(void)ctx;
	(void)configuration_options;
	error_data_text(error, "mg_start_domain2");
	unavailable("mg_start_domain2");
	return -1;
}

/* Authorization handlers are not run: the log line names the URI, because
 * requests to it are then served without that check. */
void
mg_set_auth_handler(struct mg_context *ctx,
                    const char *uri,
                    mg_authorization_handler handler,
                    void *cbdata)
{
	(void)ctx;
	(void)handler;
	(void)cbdata;
	mg_cry(NULL,
	       "mg_set_auth_handler: not available in the civetbox sandbox; "
	       "requests to %s are not checked by it",
	       uri != NULL ? uri : "(null)");
}

/* The host listens, not the guest: there are no ports to report (-1 is
 * CivetWeb's error), but like CivetWeb the array is cleared first. */
int
mg_get_server_ports(const struct mg_context *ctx,
                    int size,
                    struct mg_server_port *ports)
{
	(void)ctx;
	if (size > 0 && ports != NULL) {
		memset(ports, 0, sizeof(*ports) * (size_t)size);
	}
	unavailable("mg_get_server_ports");
	return -1;
}

/* The guest has no file system to keep a password file in; 0 is
 * CivetWeb's error. */
int
mg_modify_passwords_file(const char *passwords_file_name,
                         const char *realm,
                         const char *user,
                         const char *password)
{
	(void)passwords_file_name;
	(void)realm;
	(void)user;
	(void)password;
	unavailable("mg_modify_passwords_file");
	return 0;
}

int
mg_modify_passwords_file_ha1(const char *passwords_file_name,
                             const char *realm,
                             const char *user,
                             const char *ha1)
{
	(void)passwords_file_name;
	(void)realm;
	(void)user;
	(void)ha1;
	unavailable("mg_modify_passwords_file_ha1");
	return 0;
}

/* Context data works as in CivetWeb: the user data of the connection's
 * context. */
void *
mg_get_user_context_data(const struct mg_connection *conn)
{
	return mg_get_user_data(mg_get_context(conn));
}

/* CivetWeb returns what an init_thread callback stored, NULL without one;
 * the sandbox never calls init_thread, so NULL is the true answer. */
void *
mg_get_thread_pointer(const struct mg_connection *conn)
{
	(void)conn;
	return NULL;
}

/* Keep-alive is decided by the host's HTTP server; the response itself
 * does not change, so these are quiet no-ops rather than errors (a handler
 * may call them on every request). */
void
mg_disable_connection_keep_alive(struct mg_connection *conn)
{
	(void)conn;
}

void
mg_disable_keep_alive(struct mg_connection *conn)
{
	(void)conn;
}
