/* Differential test of guests/c/src/civetbox_misc.c against libcivetweb.
 *
 * civetbox_misc.c is compiled natively with each function renamed to cb_*
 * (see miscFunctions in misc_test.go). This program compares, against
 * libcivetweb 1.15: mg_md5, mg_get_builtin_mime_type, the option table of
 * mg_get_valid_options, mg_get_option, mg_get_server_ports and the buffer
 * contract of mg_get_system_info (the content differs on purpose).
 *
 * libcivetweb 1.15 has no base64 functions and MD5 deserves a second
 * opinion, so the program also prints lines the Go test checks against
 * encoding/base64, a model of CivetWeb 1.16's base64 semantics and
 * crypto/md5:
 *
 *   M <input hex> <digest>
 *   E <src hex> <dst_len in> <dst null> <ret> <dst_len out> <dst hex>
 *   D <src hex> <dst_len in> <dst null> <ret> <dst_len out> <dst hex>
 *   S <mg_get_system_info's text as hex>
 *   C <mg_get_context_info's text as hex>
 *
 * where "-" stands for an empty hex string and a dst_len of -1 for a NULL
 * dst_len. dst hex is the destination buffer, FILL bytes included, up to
 * GUARD bytes past the size the caller passed.
 *
 * Usage: misc_diff [fuzz-iterations]. Exits 1 if anything differs here;
 * the printed lines are judged by the Go test. */

#include <civetweb.h>

#ifdef CIVETBOX_ABI_VERSION
#error "build misc_diff.c against libcivetweb's civetweb.h, not civetbox's"
#endif

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *cb_mg_md5(char buf[33], ...);
const char *cb_mg_get_builtin_mime_type(const char *file_name);
const struct mg_option *cb_mg_get_valid_options(void);
const char *cb_mg_get_option(const struct mg_context *ctx, const char *name);
int cb_mg_get_server_ports(const struct mg_context *ctx, int size,
                           struct mg_server_port *ports);
const struct mg_response_info *
cb_mg_get_response_info(const struct mg_connection *conn);
void *cb_mg_get_user_context_data(const struct mg_connection *conn);
int cb_mg_get_system_info(char *buffer, int buflen);
int cb_mg_get_context_info(const struct mg_context *ctx, char *buffer,
                           int buflen);
int cb_mg_base64_encode(const unsigned char *src, size_t src_len, char *dst,
                        size_t *dst_len);
int cb_mg_base64_decode(const char *src, size_t src_len, unsigned char *dst,
                        size_t *dst_len);

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- bookkeeping ------------------------------------------------------------ */

#define MAX_REPORTS 60

static long comparisons, mismatches, printed;

static void
mismatch(const char *fmt, ...)
{
	va_list ap;

	mismatches++;
	if (mismatches > MAX_REPORTS) {
		return;
	}
	va_start(ap, fmt);
	fputs("MISMATCH ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
}

/* Quotes up to 200 bytes of s in C syntax, rotating through a few buffers
 * so one report can show several strings. */
static const char *
show(const char *s)
{
	static char bufs[4][4 * 200 + 8];
	static int next;
	char *out = bufs[next++ % 4], *o = out;
	size_t i;

	if (s == NULL) {
		return "NULL";
	}
	*o++ = '"';
	for (i = 0; s[i] != '\0' && i < 200; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			o += sprintf(o, "\\%c", c);
		} else if (c < 0x20 || c >= 0x7f) {
			o += sprintf(o, "\\x%02x", c);
		} else {
			*o++ = (char)c;
		}
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

static void
print_hex(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	if (n == 0) {
		fputc('-', stdout);
	}
	for (i = 0; i < n; i++) {
		printf("%02x", b[i]);
	}
}

/* An exactly sized heap copy of n bytes (a non-NULL block even for 0), so
 * a sanitizer build catches reads past the input. */
static void *
copy_exact(const void *s, size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		perror("malloc");
		exit(2);
	}
	memcpy(p, s, n);
	return p;
}

/* xorshift32: the same sequence on every platform. */
static uint32_t fuzz_state = 0x9e3779b9u;

static uint32_t
next_random(void)
{
	fuzz_state ^= fuzz_state << 13;
	fuzz_state ^= fuzz_state >> 17;
	fuzz_state ^= fuzz_state << 5;
	return fuzz_state;
}

/* ---- mg_md5 ------------------------------------------------------------------ */

#define MD5_GUARD 16

/* Both digests land in buffers with a guard after the 33 bytes. */
static char md5_a[33 + MD5_GUARD], md5_b[33 + MD5_GUARD];

static void
md5_reset(void)
{
	memset(md5_a, 0x5a, sizeof(md5_a));
	memset(md5_b, 0x5a, sizeof(md5_b));
}

static void
md5_compare(const char *what, char *ra, char *rb)
{
	comparisons++;
	if (ra != md5_a || rb != md5_b ||
	    memcmp(md5_a, md5_b, sizeof(md5_a)) != 0) {
		mismatch("mg_md5(%s): civetweb %s, civetbox %s", what, show(md5_a),
		         show(md5_b));
	}
}

/* One string; up to 4 KiB long, it is also printed for the Go side to
 * check with crypto/md5. */
static void
check_md5(const char *s)
{
	size_t n = strlen(s);
	char *p = copy_exact(s, n + 1);

	md5_reset();
	md5_compare(show(s), mg_md5(md5_a, p, NULL), cb_mg_md5(md5_b, p, NULL));
	if (n <= 4096) {
		fputs("M ", stdout);
		print_hex(p, n);
		printf(" %s\n", md5_b);
		printed++;
	}
	free(p);
}

/* s cut into up to 12 pieces at the given offsets (ascending, <= len),
 * passed as separate arguments; empty pieces included. */
static void
check_md5_split(const char *s, const size_t *cuts, size_t ncuts)
{
	char *piece[12];
	size_t i, from = 0, len = strlen(s);
	char what[64];

	for (i = 0; i < 12; i++) {
		size_t to = i < ncuts ? cuts[i] : len;
		if (to > len) {
			to = len;
		}
		if (to < from) {
			to = from;
		}
		piece[i] = malloc(to - from + 1);
		memcpy(piece[i], s + from, to - from);
		piece[i][to - from] = '\0';
		from = to;
	}
	snprintf(what, sizeof(what), "%zu-byte string in 12 pieces", len);
	md5_reset();
	md5_compare(what,
	            mg_md5(md5_a, piece[0], piece[1], piece[2], piece[3], piece[4],
	                   piece[5], piece[6], piece[7], piece[8], piece[9],
	                   piece[10], piece[11], NULL),
	            cb_mg_md5(md5_b, piece[0], piece[1], piece[2], piece[3],
	                      piece[4], piece[5], piece[6], piece[7], piece[8],
	                      piece[9], piece[10], piece[11], NULL));
	for (i = 0; i < 12; i++) {
		free(piece[i]);
	}
}

/* RFC 1321's test suite, checked here independently of libcivetweb. */
static const struct {
	const char *in, *digest;
} rfc1321[] = {
    {"", "d41d8cd98f00b204e9800998ecf8427e"},
    {"a", "0cc175b9c0f1b6a831c399e269772661"},
    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
    {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
    {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
    {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
     "d174ab98d277d9f5a5611c2c9f419d9f"},
    {"1234567890123456789012345678901234567890123456789012345678901234567890"
     "1234567890",
     "57edf4a22be3c955ac49da2e2107b67a"},
};

static void
corpus_md5(void)
{
	static char big[1 << 20];
	char s[1100];
	size_t i, n, cuts[12];
	int k;

	for (i = 0; i < COUNT(rfc1321); i++) {
		comparisons++;
		md5_reset();
		if (strcmp(cb_mg_md5(md5_b, rfc1321[i].in, NULL), rfc1321[i].digest) != 0) {
			mismatch("mg_md5(%s): civetbox %s, RFC 1321 %s",
			         show(rfc1321[i].in), md5_b, rfc1321[i].digest);
		}
		check_md5(rfc1321[i].in);
	}
	/* Every length around the block and padding boundaries and beyond,
	 * text and binary-ish (every byte but NUL). */
	for (n = 0; n <= 1030; n++) {
		for (i = 0; i < n; i++) {
			s[i] = (char)('a' + i % 26);
		}
		s[n] = '\0';
		check_md5(s);
		for (i = 0; i < n; i++) {
			s[i] = (char)(1 + (i * 37 + n) % 255);
		}
		check_md5(s);
	}
	/* Long inputs. */
	for (i = 0; i < sizeof(big) - 1; i++) {
		big[i] = (char)(1 + (i * 131) % 255);
	}
	big[sizeof(big) - 1] = '\0';
	check_md5(big);
	big[1000003] = '\0';
	check_md5(big);
	/* No arguments but the terminator, and many arguments. */
	md5_reset();
	md5_compare("no strings", mg_md5(md5_a, NULL), cb_mg_md5(md5_b, NULL));
	md5_reset();
	md5_compare("20 strings",
	            mg_md5(md5_a, "a", "", "bc", ":", "x", "y", "z", "", "", "1",
	                   "2", "3", "4", "5", "6", "7", "8", "9", "0", "!", NULL),
	            cb_mg_md5(md5_b, "a", "", "bc", ":", "x", "y", "z", "", "", "1",
	                      "2", "3", "4", "5", "6", "7", "8", "9", "0", "!",
	                      NULL));
	/* The same text cut at pseudo-random places. */
	for (n = 0; n <= 300; n += 7) {
		for (i = 0; i < n; i++) {
			s[i] = (char)(0x80 | (i * 7 % 128));
		}
		s[n] = '\0';
		for (k = 0; k < 20; k++) {
			for (i = 0; i < 12; i++) {
				cuts[i] = n ? next_random() % (n + 1) : 0;
			}
			/* ascending cuts */
			for (i = 1; i < 12; i++) {
				size_t j = i, t = cuts[i];
				while (j > 0 && cuts[j - 1] > t) {
					cuts[j] = cuts[j - 1];
					j--;
				}
				cuts[j] = t;
			}
			check_md5_split(s, cuts, 12);
		}
	}
}

/* ---- mg_get_builtin_mime_type --------------------------------------------- */

/* The extensions of CivetWeb 1.15's table, listed independently of
 * civetbox_misc.c; that each is in libcivetweb's table is checked below. */
static const char *const mime_exts[] = {
    ".bin", ".deb", ".dmg", ".dll", ".doc", ".eps", ".exe", ".iso", ".js",
    ".json", ".msi", ".pdf", ".ps", ".rtf", ".xhtml", ".xsl", ".xslt", ".ttf",
    ".cff", ".otf", ".aat", ".sil", ".pfr", ".woff", ".woff2", ".mp3", ".oga",
    ".ogg", ".gif", ".ief", ".jpeg", ".jpg", ".jpm", ".jpx", ".png", ".svg",
    ".tif", ".tiff", ".wrl", ".css", ".csv", ".htm", ".html", ".sgm", ".shtm",
    ".shtml", ".txt", ".xml", ".mov", ".mp4", ".mpeg", ".mpg", ".ogv", ".qt",
    ".arj", ".gz", ".rar", ".swf", ".tar", ".tgz", ".torrent", ".ppt", ".xls",
    ".zip", ".aac", ".flac", ".aif", ".m3u", ".mid", ".ra", ".ram", ".wav",
    ".bmp", ".ico", ".pct", ".pict", ".rgb", ".webm", ".asf", ".avi", ".m4v",
};

/* Extensions that are not in the table. */
static const char *const other_exts[] = {
    ".c", ".h", ".wasm", ".webp", ".md", ".jsx", ".mjs", ".htaccess", ".tar.gz",
    ".svgz", ".jpe", ".mp2", ".7z", ".j", ".s", ".", "..", ".json5", ".xhtm",
};

static long mime_cases;

static void
check_mime(const char *name)
{
	char *n = copy_exact(name, strlen(name) + 1);
	const char *a = mg_get_builtin_mime_type(n);
	const char *b = cb_mg_get_builtin_mime_type(n);

	comparisons++;
	mime_cases++;
	if (a == NULL || b == NULL || strcmp(a, b) != 0) {
		mismatch("mg_get_builtin_mime_type(%s): civetweb %s, civetbox %s",
		         show(name), show(a), show(b));
	}
	free(n);
}

/* name with each byte's case chosen by the bits of mask. */
static void
with_case(char *dst, const char *src, unsigned mask)
{
	size_t i;

	for (i = 0; src[i] != '\0'; i++) {
		dst[i] = (char)((mask >> (i % 16) & 1) ? toupper((unsigned char)src[i])
		                                        : tolower((unsigned char)src[i]));
	}
	dst[i] = '\0';
}

static void
mime_variants(const char *ext)
{
	static const char *const prefixes[] = {
	    "", "a", "file", ".", "..", ".hidden", "dir/x", "/abs/path/name",
	    "a b", "x.y", "C:\\win\\f", "%2e", "\xc3\xa9t\xc3\xa9",
	};
	static const char *const suffixes[] = {"", ".", " ", "/", "x", ".bak", "\t"};
	char name[5000], cased[64];
	size_t p, s;
	unsigned mask;

	for (mask = 0; mask < 8; mask++) {
		with_case(cased, ext, mask == 7 ? 0xffffu : mask * 0x5555u);
		for (p = 0; p < COUNT(prefixes); p++) {
			for (s = 0; s < COUNT(suffixes); s++) {
				snprintf(name, sizeof(name), "%s%s%s", prefixes[p], cased,
				         suffixes[s]);
				check_mime(name);
			}
		}
	}
	/* A long name. */
	memset(name, 'n', 4000);
	strcpy(name + 4000, ext);
	check_mime(name);
}

static void
corpus_mime(void)
{
	static const char *const plain[] = {
	    "", "noext", ".", "..", "...", ".bashrc", ".hidden", "a.", "a..",
	    "/", "dir/", "dir.js/", "dir.js/file", "a.JS.bak", "README",
	    "archive.tar.gz", "x.html.gz", "x.gz.html", "x.tgz", "x.htm.l",
	};
	static const char alphabet[] = ".jspngJSPNGhtmlx/";
	char name[24], ext[8];
	size_t i, k, len, found = 0;
	long it;

	for (i = 0; i < COUNT(mime_exts); i++) {
		mime_variants(mime_exts[i]);
		/* The extension alone is too short to count; after a name it must
		 * give something other than the fallback (except .txt). */
		snprintf(name, sizeof(name), "f%s", mime_exts[i]);
		comparisons++;
		if (strcmp(mg_get_builtin_mime_type(name), "text/plain") != 0 ||
		    strcmp(mime_exts[i], ".txt") == 0) {
			found++;
		} else {
			mismatch("%s is not in libcivetweb's MIME table", mime_exts[i]);
		}
		check_mime(mime_exts[i]);
	}
	for (i = 0; i < COUNT(other_exts); i++) {
		mime_variants(other_exts[i]);
	}
	for (i = 0; i < COUNT(plain); i++) {
		check_mime(plain[i]);
	}
	/* Every extension of up to four letters and digits: no entry of
	 * libcivetweb's table that short is missing from ours. */
	for (len = 1; len <= 4; len++) {
		unsigned long total = 1, code, c;
		for (k = 0; k < len; k++) {
			total *= 36;
		}
		for (code = 0; code < total; code++) {
			c = code;
			ext[0] = '.';
			for (k = 0; k < len; k++) {
				ext[1 + k] = "abcdefghijklmnopqrstuvwxyz0123456789"[c % 36];
				c /= 36;
			}
			ext[1 + len] = '\0';
			snprintf(name, sizeof(name), "f%s", ext);
			check_mime(name);
		}
	}
	/* Random names. */
	for (it = 0; it < 100000; it++) {
		len = next_random() % 12;
		for (k = 0; k < len; k++) {
			name[k] = alphabet[next_random() % (sizeof(alphabet) - 1)];
		}
		name[len] = '\0';
		check_mime(name);
	}
	printf("mime: %zu table extensions found in libcivetweb, %ld lookups\n",
	       found, mime_cases);
	comparisons++;
	if (found != COUNT(mime_exts)) {
		mismatch("only %zu of %zu extensions found", found, COUNT(mime_exts));
	}
}

/* ---- options ------------------------------------------------------------------- */

static int
same_str(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static void
corpus_options(void)
{
	static const char *const invalid[] = {
	    "", " ", "Document_Root", "DOCUMENT_ROOT", "document_root ",
	    " document_root", "document_roo", "document_rootx", "unknown",
	    "lua_preload_file", "cgi_timeout_ms", "case_sensitive", "enable_http2",
	    "duktape_script_pattern", "lua_websocket_pattern", "cgi3_pattern",
	    "ssl_", "listening_port",
	};
	const struct mg_option *a = mg_get_valid_options();
	const struct mg_option *b = cb_mg_get_valid_options();
	const struct mg_context *fake_ctx = (const struct mg_context *)&invalid;
	size_t i, na = 0, nb = 0;

	comparisons++;
	if (b != cb_mg_get_valid_options()) {
		mismatch("mg_get_valid_options returns a different table each call");
	}
	while (a[na].name != NULL) {
		na++;
	}
	while (b[nb].name != NULL) {
		nb++;
	}
	comparisons++;
	if (na != nb) {
		mismatch("mg_get_valid_options: civetweb has %zu options, civetbox %zu",
		         na, nb);
	}
	for (i = 0; i < na && i < nb; i++) {
		comparisons++;
		if (!same_str(a[i].name, b[i].name) || a[i].type != b[i].type ||
		    !same_str(a[i].default_value, b[i].default_value)) {
			mismatch("option %zu: civetweb {%s, %d, %s}, civetbox {%s, %d, %s}",
			         i, show(a[i].name), a[i].type, show(a[i].default_value),
			         show(b[i].name), b[i].type, show(b[i].default_value));
		}
	}
	comparisons++;
	if (b[nb].type != MG_CONFIG_TYPE_UNKNOWN || b[nb].default_value != NULL) {
		mismatch("the terminating option is not {NULL, 0, NULL}");
	}

	/* mg_get_option: libcivetweb without a context answers "" for every
	 * valid name, as civetbox does with or without one. */
	for (i = 0; i < na + COUNT(invalid); i++) {
		const char *name = i < na ? a[i].name : invalid[i - na];
		const char *ra = mg_get_option(NULL, name);
		const char *rb = cb_mg_get_option(NULL, name);
		const char *rc = cb_mg_get_option(fake_ctx, name);
		comparisons++;
		if (!same_str(ra, rb) || !same_str(rb, rc) ||
		    (i < na) != (ra != NULL)) {
			mismatch("mg_get_option(%s): civetweb %s, civetbox %s / %s",
			         show(name), show(ra), show(rb), show(rc));
		}
	}
	comparisons++;
	if (cb_mg_get_option(NULL, NULL) != NULL) {
		mismatch("mg_get_option(NULL, NULL) is not NULL");
	}
	printf("options: %zu compared, %zu invalid names\n", na, COUNT(invalid));
}

/* ---- functions whose failure values match libcivetweb's ------------------- */

static void
corpus_failures(void)
{
	static const int sizes[] = {-1, 0, 1, 3};
	struct mg_server_port pa[3], pb[3];
	size_t i;
	int ra, rb;

	/* libcivetweb clears the array, then fails for a NULL context. */
	for (i = 0; i < COUNT(sizes); i++) {
		memset(pa, 0x5a, sizeof(pa));
		memset(pb, 0x5a, sizeof(pb));
		ra = mg_get_server_ports(NULL, sizes[i], pa);
		rb = cb_mg_get_server_ports(NULL, sizes[i], pb);
		comparisons++;
		if (ra != rb || memcmp(pa, pb, sizeof(pa)) != 0) {
			mismatch("mg_get_server_ports(NULL, %d): civetweb %d, civetbox %d",
			         sizes[i], ra, rb);
		}
	}
	comparisons++;
	if (mg_get_response_info(NULL) != cb_mg_get_response_info(NULL) ||
	    mg_get_user_context_data(NULL) != cb_mg_get_user_context_data(NULL)) {
		mismatch("mg_get_response_info or mg_get_user_context_data of NULL");
	}
}

/* ---- the system information contract --------------------------------------- */

#define INFO_MAX 4096
#define INFO_GUARD 16

static const char info_close[] = "\n}\n";

/* Checks fn's buffer contract, whatever its content: the same length for
 * every buffer (NULL and 0 included), nothing written past buflen, the
 * complete text when buflen exceeds it, and otherwise a NUL-terminated
 * prefix of it, closed with "\n}\n" whenever buflen exceeds 3. Run on
 * libcivetweb's mg_get_system_info as well, this shows the contracts are
 * the same. */
static void
check_info_contract(const char *what, int (*fn)(void *, char *, int), void *arg)
{
	static char full[INFO_MAX], buf[INFO_MAX + INFO_GUARD];
	int n = fn(arg, NULL, 0), buflen, r;
	size_t body, len, i;
	const char *end;

	comparisons++;
	if (n <= 0 || n >= INFO_MAX - 8) {
		mismatch("%s(NULL, 0) = %d", what, n);
		return;
	}
	if (fn(arg, full, (int)sizeof(full)) != n || strlen(full) != (size_t)n ||
	    fn(arg, NULL, 100) != n || fn(arg, full + 1, -5) != n) {
		mismatch("%s: the length differs between calls", what);
		return;
	}
	body = (size_t)n - strlen(info_close);
	comparisons++;
	if (full[0] != '{' || strcmp(full + body, info_close) != 0) {
		mismatch("%s: %s is not a \"{...\\n}\\n\" object", what, show(full));
	}
	for (buflen = 0; buflen <= n + 2; buflen++) {
		memset(buf, 0x5a, sizeof(buf));
		r = fn(arg, buf, buflen);
		comparisons++;
		if (r != n) {
			mismatch("%s(buf, %d) = %d, not %d", what, buflen, r, n);
			continue;
		}
		for (i = (size_t)buflen; i < sizeof(buf); i++) {
			if (buf[i] != 0x5a) {
				mismatch("%s(buf, %d) wrote byte %zu", what, buflen, i);
				break;
			}
		}
		if (buflen == 0) {
			continue;
		}
		end = memchr(buf, '\0', (size_t)buflen);
		len = end ? (size_t)(end - buf) : (size_t)buflen;
		if (end == NULL) {
			mismatch("%s(buf, %d) did not terminate", what, buflen);
		} else if (buflen > n) {
			if (strcmp(buf, full) != 0) {
				mismatch("%s(buf, %d): %s", what, buflen, show(buf));
			}
		} else if (buflen > 3) {
			if (len < 3 || strcmp(buf + len - 3, info_close) != 0 ||
			    strncmp(buf, full, len - 3) != 0) {
				mismatch("%s(buf, %d): %s is not a closed prefix", what,
				         buflen, show(buf));
			}
		} else if (strncmp(buf, full, len) != 0) {
			mismatch("%s(buf, %d): %s is not a prefix", what, buflen, show(buf));
		}
	}
}

static int
civetweb_system_info(void *arg, char *buf, int len)
{
	(void)arg;
	return mg_get_system_info(buf, len);
}

static int
civetbox_system_info(void *arg, char *buf, int len)
{
	(void)arg;
	return cb_mg_get_system_info(buf, len);
}

static int
civetbox_context_info(void *arg, char *buf, int len)
{
	return cb_mg_get_context_info(arg, buf, len);
}

static void
corpus_info(void)
{
	char buf[INFO_MAX];

	check_info_contract("libcivetweb mg_get_system_info", civetweb_system_info,
	                    NULL);
	check_info_contract("mg_get_system_info", civetbox_system_info, NULL);
	check_info_contract("mg_get_context_info", civetbox_context_info, NULL);
	check_info_contract("mg_get_context_info(ctx)", civetbox_context_info, buf);
	cb_mg_get_system_info(buf, (int)sizeof(buf));
	fputs("S ", stdout);
	print_hex(buf, strlen(buf));
	cb_mg_get_context_info(NULL, buf, (int)sizeof(buf));
	fputs("\nC ", stdout);
	print_hex(buf, strlen(buf));
	fputc('\n', stdout);
}

/* ---- base64 (printed for the Go side) ----------------------------------------- */

#define B64_BUF 200
#define B64_GUARD 8
#define B64_FILL 0xa5

static long b64_cases;

/* dst_len < 0 passes NULL for dst_len, and then the whole buffer may be
 * used. */
static void
print_b64(char op, const void *src, size_t src_len, long dst_len, int dst_null)
{
	unsigned char *s = copy_exact(src, src_len);
	unsigned char dst[B64_BUF + B64_GUARD];
	size_t len = dst_len < 0 ? 0 : (size_t)dst_len, shown;
	int r;

	memset(dst, B64_FILL, sizeof(dst));
	if (op == 'E') {
		r = cb_mg_base64_encode(s, src_len, dst_null ? NULL : (char *)dst,
		                        dst_len < 0 ? NULL : &len);
	} else {
		r = cb_mg_base64_decode((const char *)s, src_len,
		                        dst_null ? NULL : dst, dst_len < 0 ? NULL : &len);
	}
	shown = dst_len < 0 ? sizeof(dst) : (size_t)dst_len + B64_GUARD;
	printf("%c ", op);
	print_hex(src, src_len);
	printf(" %ld %d %d %ld ", dst_len, dst_null, r, dst_len < 0 ? -1L : (long)len);
	print_hex(dst, shown);
	fputc('\n', stdout);
	printed++;
	b64_cases++;
	free(s);
}

/* Every interesting dst_len for one call. */
static void
sweep_b64(char op, const void *src, size_t src_len)
{
	size_t need = op == 'E' ? (src_len + 2) / 3 * 4 + 1 : src_len / 4 * 3 + 4;
	long n;

	for (n = 0; n <= (long)need + 1 && n <= B64_BUF - 10; n++) {
		print_b64(op, src, src_len, n, 0);
	}
	print_b64(op, src, src_len, B64_BUF - 10, 0);
	print_b64(op, src, src_len, -1, 0);
	print_b64(op, src, src_len, 0, 1);
	print_b64(op, src, src_len, 50, 1);
}

static void
corpus_b64(long iterations)
{
	static const char *const decode_src[] = {
	    "", "=", "==", "===", "====", "A", "AA", "AAA", "AAAA", "AA==", "AAA=",
	    "QQ==", "QUI=", "QUJD", "QQ", "QUI", "QQ=", "QQ===", "QQ==QUJD",
	    "QQ=A", "QQ=AQUJD", "Q===", "=QQ=", "Q=Q=", "QR==", "QUJ=", "Zm9vYmFy",
	    "Zm9vYmE=", "Zm9vYg==", "Zm9v\nYmFy", "Zm9v YmFy", "Zm9v-_==",
	    "+/+/", "////", "++++", "AAAA====", "QQ==\n", "QUJD====QUJD",
	    "abc*", "*abc", "ab*c", "\x80\x81\x82\x83", "QU\0D", "QUJD\0",
	};
	static const char bad[] = "*\n =-_.\x80\xff";
	static const char alphabet[] = "AQgw+/=0a9Zz*\n";
	unsigned char src[80];
	char enc[120], s[40];
	size_t i, n, k, len;
	long it;

	/* Encoding: lengths 0..60 of text and binary (NULs included), and
	 * every byte value alone. */
	for (n = 0; n <= 60; n++) {
		for (i = 0; i < n; i++) {
			src[i] = (unsigned char)(i * 97 + n * 13);
		}
		sweep_b64('E', src, n);
		/* Its encoding decoded, cut short, and with bad bytes. */
		len = 0;
		cb_mg_base64_encode(src, n, enc, NULL);
		len = strlen(enc);
		sweep_b64('D', enc, len);
		for (k = 1; k <= 3 && k <= len; k++) {
			print_b64('D', enc, len - k, -1, 0);
		}
		for (k = 0; k < len && n < 12; k++) {
			for (i = 0; i < sizeof(bad) - 1; i++) {
				char saved = enc[k];
				enc[k] = bad[i];
				print_b64('D', enc, len, -1, 0);
				print_b64('D', enc, len, (long)k, 0);
				enc[k] = saved;
			}
		}
	}
	for (i = 0; i < 256; i++) {
		src[0] = (unsigned char)i;
		print_b64('E', src, 1, -1, 0);
		cb_mg_base64_encode(src, 1, enc, NULL);
		print_b64('D', enc, 4, -1, 0);
	}
	for (i = 0; i < COUNT(decode_src); i++) {
		len = strlen(decode_src[i]);
		if (i == COUNT(decode_src) - 2 || i == COUNT(decode_src) - 1) {
			len = 5; /* the entries with a NUL byte */
		}
		sweep_b64('D', decode_src[i], len);
	}
	/* NULL src with a length, which would crash CivetWeb. */
	comparisons++;
	len = 99;
	if (cb_mg_base64_encode(NULL, 3, enc, &len) != 0 || len != 99 ||
	    cb_mg_base64_decode(NULL, 4, src, &len) != 0) {
		mismatch("base64 of NULL src");
	}
	/* Random strings. */
	for (it = 0; it < iterations; it++) {
		len = next_random() % 24;
		for (k = 0; k < len; k++) {
			s[k] = alphabet[next_random() % (sizeof(alphabet) - 1)];
		}
		print_b64('D', s, len, (long)(next_random() % 22) - 1,
		          next_random() % 16 == 0);
		for (k = 0; k < len; k++) {
			src[k] = (unsigned char)next_random();
		}
		print_b64('E', src, len, (long)(next_random() % 36) - 1,
		          next_random() % 16 == 0);
	}
	printf("base64: %ld cases printed\n", b64_cases);
}

int
main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 20000;

	corpus_md5();
	corpus_mime();
	corpus_options();
	corpus_failures();
	corpus_info();
	corpus_b64(iterations);

	if (mismatches > MAX_REPORTS) {
		printf("... %ld more mismatches not shown\n", mismatches - MAX_REPORTS);
	}
	printf("%ld native comparisons, %ld lines for the Go side, %ld mismatches\n",
	       comparisons, printed, mismatches);
	return mismatches == 0 ? 0 : 1;
}
