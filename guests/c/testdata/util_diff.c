/* Differential test of guests/c/src/civetbox_util.c against libcivetweb.
 *
 * civetbox_util.c is compiled natively with each function renamed to cb_*
 * (see utilRenames in util_test.go); this program feeds the same inputs to
 * the libcivetweb function and to ours and compares everything a caller can
 * see: the return value, every byte of the destination buffer plus a guard
 * area after it, the input buffer mg_split_form_urlencoded rewrites and the
 * field pointers it fills. Inputs are copied to exactly sized heap blocks so
 * a sanitizer build catches reads past them.
 *
 * Usage: util_diff [fuzz-iterations]. Exits 1 if anything differs. */

#include <civetweb.h>

#ifdef CIVETBOX_ABI_VERSION
#error "build util_diff.c against libcivetweb's civetweb.h, not civetbox's"
#endif

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cb_mg_get_var(const char *data, size_t data_len, const char *var_name,
                  char *dst, size_t dst_len);
int cb_mg_get_var2(const char *data, size_t data_len, const char *var_name,
                   char *dst, size_t dst_len, size_t occurrence);
int cb_mg_split_form_urlencoded(char *data, struct mg_header *form_fields,
                                unsigned num_form_fields);
int cb_mg_get_cookie(const char *cookie, const char *var_name, char *buf,
                     size_t buf_len);
int cb_mg_url_decode(const char *src, int src_len, char *dst, int dst_len,
                     int is_form_url_encoded);
int cb_mg_url_encode(const char *src, char *dst, size_t dst_len);
int cb_mg_strcasecmp(const char *s1, const char *s2);
int cb_mg_strncasecmp(const char *s1, const char *s2, size_t len);
const char *cb_mg_get_response_code_text(const struct mg_connection *conn,
                                         int response_code);

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- bookkeeping ------------------------------------------------------------ */

#define MAX_REPORTS 60

static long comparisons, mismatches;

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

/* Quotes n bytes of s in C syntax; results rotate through a few buffers so
 * one report can show several strings. */
static const char *
show(const char *s, long n)
{
	static char bufs[8][4 * 1100 + 8];
	static int next;
	char *out = bufs[next++ % 8], *o = out;
	long i;

	if (s == NULL) {
		return "NULL";
	}
	if (n > 1100) {
		n = 1100;
	}
	*o++ = '"';
	for (i = 0; i < n; i++) {
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

static const char *
show_str(const char *s)
{
	return s == NULL ? "NULL" : show(s, (long)strlen(s));
}

/* An exactly sized heap copy of n bytes (a non-NULL block even for 0). */
static char *
copy_exact(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);

	if (p == NULL) {
		perror("malloc");
		exit(2);
	}
	memcpy(p, s, n);
	return p;
}

/* ---- destination buffers ------------------------------------------------------ */

/* Large enough for any output in the corpus (an encoded 255-byte string),
 * followed by a guard area that must stay untouched in the same way. */
#define OUT_MAX 1024
#define GUARD 32
#define FILL 0x5a

static char out_a[OUT_MAX + GUARD], out_b[OUT_MAX + GUARD];

static void
reset_out(void)
{
	memset(out_a, FILL, sizeof(out_a));
	memset(out_b, FILL, sizeof(out_b));
}

/* Compares the two destination buffers; on a difference, describes it. */
static int
same_out(char *desc, size_t desc_len)
{
	size_t i, from;

	if (memcmp(out_a, out_b, sizeof(out_a)) == 0) {
		return 1;
	}
	for (i = 0; out_a[i] == out_b[i]; i++) {
	}
	from = i > 8 ? i - 8 : 0;
	snprintf(desc, desc_len, "buffers differ at byte %zu: civetweb %s, civetbox %s",
	         i, show(out_a + from, 24), show(out_b + from, 24));
	return 0;
}

/* Where the corpus and the fuzzer set a buffer size to "plenty". */
static size_t
size_or_max(size_t n)
{
	return n > OUT_MAX ? OUT_MAX : n;
}

/* ---- mg_get_var / mg_get_var2 ------------------------------------------------- */

/* data may be NULL; dst_null passes a NULL destination. wrapper selects
 * mg_get_var (occurrence must then be 0). */
static void
check_get_var(const char *data, size_t data_len, const char *name,
              int dst_null, size_t dst_len, size_t occurrence, int wrapper)
{
	char *d = data ? copy_exact(data, data_len) : NULL;
	char *da = dst_null ? NULL : out_a, *db = dst_null ? NULL : out_b;
	char desc[256];
	int ra, rb;

	reset_out();
	if (wrapper) {
		ra = mg_get_var(d, data_len, name, da, dst_len);
		rb = cb_mg_get_var(d, data_len, name, db, dst_len);
	} else {
		ra = mg_get_var2(d, data_len, name, da, dst_len, occurrence);
		rb = cb_mg_get_var2(d, data_len, name, db, dst_len, occurrence);
	}
	comparisons++;
	desc[0] = '\0';
	if (ra != rb || !same_out(desc, sizeof(desc))) {
		mismatch("%s(data=%s, data_len=%zu, name=%s, dst=%s, dst_len=%zu, "
		         "occurrence=%zu): civetweb %d, civetbox %d %s",
		         wrapper ? "mg_get_var" : "mg_get_var2",
		         data ? show(data, (long)data_len) : "NULL", data_len,
		         show_str(name), dst_null ? "NULL" : "buf", dst_len,
		         occurrence, ra, rb, desc);
	}
	free(d);
}

/* Every interesting data_len and dst_len for one data/name pair. */
static void
sweep_get_var(const char *data, size_t len, const char *name)
{
	size_t lens[] = {len, len + 1, len ? len - 1 : 0, len / 2, 1, 0};
	size_t i, j, dst_len, occ;

	for (i = 0; i < COUNT(lens); i++) {
		if (lens[i] > len + 1 || (i > 0 && lens[i] == lens[i - 1])) {
			continue;
		}
		for (occ = 0; occ <= 3; occ++) {
			for (dst_len = 0; dst_len <= len + 3; dst_len++) {
				check_get_var(data, lens[i], name, 0, dst_len, occ, 0);
			}
			check_get_var(data, lens[i], name, 0, OUT_MAX, occ, 0);
		}
		for (j = 0; j <= 2; j++) {
			check_get_var(data, lens[i], name, 0, j, 0, 1);
		}
		check_get_var(data, lens[i], name, 0, OUT_MAX, 0, 1);
	}
}

static const char *const var_data[] = {
    "", "a", "a=", "=", "=1", "a=1", "A=1", "a=1&b=2", "b=2&a=1", "ab=1&a=2",
    "a=1&ab=2", "aa=1&a=2", "ba=1&a=2", "xa=1", "a=1&a=2&a=3&a=4",
    "a=x&A=y&a=z", "a&a=1", "a&b", "a=&a=2", "a=%41%42", "a=%4", "a=%",
    "a=%zz", "a=%4g", "a=%%41", "a=%41%", "a=+x+", "a=%2B%2b", "a=%20%00x",
    "a=1&&a=2", "&a=1", "&&a=1&", " a=1", "a =1", "a= 1", "a==1", "a=1=2",
    "a=b&c", "name=value&other=x%26y", "a%3d=1", "a+b=1", "a b=1",
    "q=hello+world&lang=en%2Dus", "LANG=de&lang=fr", "a=\xc3\xa9",
    "\xff=\xfe", "a=1;b=2", "a=1&b", "b&a", "a=%C3%A9t%C3%A9",
    "k=abcdefghijklmnopqrstuvwxyz0123456789", "a=1&", "a=&", "a&", "&",
    "&&", "a=%7e%7E", "x=%0", "x=%0g&x=%", "a&b=c&a=d", "=&=&=",
};

static const char *const var_names[] = {
    "", "a", "A", "ab", "b", "aa", "ba", "a ", " a", "a+b", "a b", "a%3d",
    "a=", "=", "&", "a&b", "x", "q", "lang", "LANG", "name", "other", "\xff",
    "k", "missing", "a=1", "xa",
};

/* Data with NUL bytes inside data_len. */
static const struct {
	const char *s;
	size_t n;
} var_binary[] = {
    {"a=1\0&a=2", 8}, {"a\0=1&a=2", 8}, {"\0a=1", 4}, {"a=1&\0a=2&a=3", 12},
    {"a=%00&b=\0", 9},
};

static void
corpus_get_var(void)
{
	static char long_data[2048];
	static const char *const long_names[] = {"a", "b", "c", "d"};
	const char *null_names[] = {NULL, "a"};
	size_t i, j, k, n;

	for (i = 0; i < COUNT(var_data); i++) {
		for (j = 0; j < COUNT(var_names); j++) {
			sweep_get_var(var_data[i], strlen(var_data[i]), var_names[j]);
		}
	}
	for (i = 0; i < COUNT(var_binary); i++) {
		for (j = 0; j < COUNT(var_names); j++) {
			sweep_get_var(var_binary[i].s, var_binary[i].n, var_names[j]);
		}
	}

	/* Values longer than the buffers used above. */
	n = (size_t)sprintf(long_data, "a=");
	for (i = 0; i < 300; i++) {
		long_data[n++] = (char)('a' + i % 26);
	}
	n += (size_t)sprintf(long_data + n, "&b=");
	for (i = 0; i < 250; i++) {
		n += (size_t)sprintf(long_data + n, "%%%02X", (unsigned)(i * 7 % 256));
	}
	n += (size_t)sprintf(long_data + n, "&c=");
	for (i = 0; i < 200; i++) {
		long_data[n++] = "+%%2x"[i % 5];
	}
	n += (size_t)sprintf(long_data + n, "&d=%%");
	for (i = 0; i < COUNT(long_names); i++) {
		for (k = 0; k <= 800; k++) {
			check_get_var(long_data, n, long_names[i], 0, k, 0, 0);
		}
	}

	/* NULL arguments and empty buffers. */
	for (i = 0; i < COUNT(null_names); i++) {
		for (k = 0; k <= 3; k++) {
			check_get_var(NULL, 0, null_names[i], 0, k, 0, 0);
			check_get_var(NULL, 3, null_names[i], 0, k, 0, 0);
			check_get_var("a=1", 3, null_names[i], 0, k, 0, 0);
			check_get_var("a=1", 3, null_names[i], 1, k, 0, 0);
			check_get_var(NULL, 0, null_names[i], 1, k, 0, 1);
			check_get_var("a=1", 3, null_names[i], 1, k, 0, 1);
		}
	}

	/* dst_len is narrowed to int inside CivetWeb: SIZE_MAX becomes -1. */
	check_get_var("a=1", 3, "a", 0, SIZE_MAX, 0, 0);
	check_get_var("a=", 2, "a", 0, SIZE_MAX, 0, 0);
	check_get_var("a=1", 3, "b", 0, SIZE_MAX, 0, 0);
	check_get_var("a=1", 3, "a", 0, (size_t)INT_MAX + 1, 0, 0);
#if SIZE_MAX > UINT_MAX
	check_get_var("a=abcdefgh", 10, "a", 0, ((size_t)1 << 32) + 5, 0, 0);
	check_get_var("a=ab", 4, "a", 0, ((size_t)1 << 32) + 5, 0, 0);
#endif
	check_get_var("a=1&a=2", 7, "a", 0, OUT_MAX, SIZE_MAX, 0);
}

/* ---- mg_get_cookie -------------------------------------------------------------- */

static void
check_cookie(const char *header, const char *name, int buf_null,
             size_t buf_len)
{
	char *h = header ? copy_exact(header, strlen(header) + 1) : NULL;
	char *ba = buf_null ? NULL : out_a, *bb = buf_null ? NULL : out_b;
	char desc[256];
	int ra, rb;

	/* CivetWeb never returns for an empty name unless the header starts
	 * with '=' (see the civetbox_util.c comment); civetbox returns -1. */
	if (name != NULL && *name == '\0' && header != NULL &&
	    header[0] != '=' && !buf_null && buf_len > 0) {
		free(h);
		reset_out();
		rb = cb_mg_get_cookie(header, name, out_b, buf_len);
		comparisons++;
		if (rb != -1 || out_b[0] != '\0') {
			mismatch("mg_get_cookie(%s, \"\", buf, %zu): expected -1 and "
			         "an empty buffer, civetbox %d %s",
			         show_str(header), buf_len, rb, show(out_b, 8));
		}
		return;
	}
	reset_out();
	ra = mg_get_cookie(h, name, ba, buf_len);
	rb = cb_mg_get_cookie(h, name, bb, buf_len);
	comparisons++;
	desc[0] = '\0';
	if (ra != rb || !same_out(desc, sizeof(desc))) {
		mismatch("mg_get_cookie(%s, %s, %s, %zu): civetweb %d, civetbox %d %s",
		         show_str(header), show_str(name), buf_null ? "NULL" : "buf",
		         buf_len, ra, rb, desc);
	}
	free(h);
}

static void
sweep_cookie(const char *header, const char *name)
{
	size_t n, len = strlen(header);

	for (n = 0; n <= len + 2; n++) {
		check_cookie(header, name, 0, n);
	}
	check_cookie(header, name, 0, OUT_MAX);
	check_cookie(header, name, 1, 0);
	check_cookie(header, name, 1, OUT_MAX);
}

static const char *const cookie_headers[] = {
    "", "a=1", "A=1", "a=1; b=2", "b=2; a=1", "a=1;b=2", "b=2;a=1",
    "ab=1; a=2", "a=1; ab=2", "ba=1; a=2", "xa=1; a=2", "a=\"q\"",
    "a=\"q\"; b=2", "a=\"\"", "a=\"", "a=\"\"\"", "a=\"x", "a=x\"",
    "a=\"x\";", "a=\"x\"; b", "a=;", "a=; b=1", "a=", "a= b", "a=1 2",
    "a=1;; b=2", "a=1;", "a=1 ;", "  a=1", "a =1", "a==1", "a=b=c",
    "session=abc123; theme=dark; lang=en", "SESSION=x; session=y",
    "x x x=1", "x x=1", "a\t=1", "a=1\tb=2", "b=1\ta=2", "=a", "=", "==1",
    "= a=1", "b=1 a=2", "a=1 a=2", "a=%41+", "a=\"1;\"", "a=\";\"",
    "a=\"1 2\"", "a=1;  b=2", "a=;;", "a=\";", "a", "a; a=1", "a=1,b=2",
    "\xff=1; \xfe=2", "aa=1; aaa=2; a=3", "aaa=1", "a;=1", " ", "a=\"\"; b",
    "theme=light; Theme=dark",
};

static const char *const cookie_names[] = {
    "", "a", "A", "b", "ab", "ba", "x", "x x", "aa", "session", "Session",
    "theme", "lang", "a=", " a", "a ", "=", "\"", ";", "\xff", "\xdf",
    "missing", "a;", "aaa",
};

static void
corpus_cookie(void)
{
	size_t i, j, n;

	for (i = 0; i < COUNT(cookie_headers); i++) {
		for (j = 0; j < COUNT(cookie_names); j++) {
			sweep_cookie(cookie_headers[i], cookie_names[j]);
		}
	}
	for (n = 0; n <= 3; n++) {
		check_cookie(NULL, "a", 0, n);
		check_cookie("a=1", NULL, 0, n);
		check_cookie(NULL, NULL, 0, n);
		check_cookie(NULL, "a", 1, n);
		check_cookie("a=1", NULL, 1, n);
	}
}

/* ---- mg_url_decode --------------------------------------------------------------- */

static void
check_url_decode(const char *src, int src_len, int dst_len, int form)
{
	char *s = copy_exact(src, src_len > 0 ? (size_t)src_len : 0);
	char desc[256];
	int ra, rb;

	reset_out();
	ra = mg_url_decode(s, src_len, out_a, dst_len, form);
	rb = cb_mg_url_decode(s, src_len, out_b, dst_len, form);
	comparisons++;
	desc[0] = '\0';
	if (ra != rb || !same_out(desc, sizeof(desc))) {
		mismatch("mg_url_decode(%s, %d, buf, %d, %d): civetweb %d, civetbox %d %s",
		         show(src, src_len > 0 ? src_len : 0), src_len, dst_len, form,
		         ra, rb, desc);
	}
	free(s);
}

static void
sweep_url_decode(const char *src, int len)
{
	static const int forms[] = {0, 1, -7};
	int src_len, dst_len;
	size_t f;

	for (f = 0; f < COUNT(forms); f++) {
		for (src_len = -2; src_len <= len; src_len++) {
			for (dst_len = -2; dst_len <= len + 3; dst_len++) {
				check_url_decode(src, src_len, dst_len, forms[f]);
			}
			check_url_decode(src, src_len, OUT_MAX, forms[f]);
			check_url_decode(src, src_len, INT_MAX, forms[f]);
		}
	}
}

static const char *const decode_src[] = {
    "", "a", "abc", "%", "%4", "%41", "%4g", "%g1", "%zz", "%%", "%%41",
    "%41%42%43", "a+b", "+", "++", "%2B", "%2b", "%20", "%00", "a%00b",
    "%e9%E9", "%ff", "%FF%fF", "100%", "100%2", "%41%", "%414", "x%4",
    "%C3%A9t%C3%A9", "hello+world%21", "a%2", "%+1", "%1+", "%0", "%-1",
    "abc%41def", " sp ", "%aG%Ga%AA", "%%%", "%%%41%", "%7f%80", "\xff%ff",
    "%3D%26%3d", "%0a%0D", "%%2541", "+%2B+",
};

static void
corpus_url_decode(void)
{
	char all[256 * 3 + 1], *p = all;
	size_t i;
	int c;

	for (i = 0; i < COUNT(decode_src); i++) {
		sweep_url_decode(decode_src[i], (int)strlen(decode_src[i]));
	}
	/* Every escape, in both cases of hex digits. */
	for (c = 0; c < 256; c++) {
		p += sprintf(p, c % 2 ? "%%%02x" : "%%%02X", (unsigned)c);
	}
	for (i = 0; i <= 258; i++) {
		check_url_decode(all, 256 * 3, (int)i, 1);
		check_url_decode(all, i < 256 ? (int)i * 3 + 1 : 256 * 3, OUT_MAX, 1);
	}
	/* An embedded NUL byte inside src_len. */
	check_url_decode("a\0b%41", 6, OUT_MAX, 1);
	check_url_decode("a\0b%41", 6, 3, 1);
}

/* ---- mg_url_encode --------------------------------------------------------------- */

static void
check_url_encode(const char *src, size_t dst_len)
{
	char *s = copy_exact(src, strlen(src) + 1);
	char desc[256];
	int ra, rb;

	reset_out();
	ra = mg_url_encode(s, out_a, dst_len);
	rb = cb_mg_url_encode(s, out_b, dst_len);
	comparisons++;
	desc[0] = '\0';
	if (ra != rb || !same_out(desc, sizeof(desc))) {
		mismatch("mg_url_encode(%s, buf, %zu): civetweb %d, civetbox %d %s",
		         show_str(src), dst_len, ra, rb, desc);
	}
	free(s);
}

static const char *const encode_src[] = {
    "", "a", "._-$,;~()", "a b&c=d/e?f#g", "!*'();:@&=+$,/?#[]",
    "hello world", "100%", "\xc3\xa4", "~user/x.y", "AZaz09", "(x)",
    "{}|\\^`<>\"", "a+b", "\t\r\n", "%41", "abc def ghi",
};

static void
corpus_url_encode(void)
{
	char one[2], all[256];
	size_t i, n;
	int c;

	/* Every byte on its own. */
	one[1] = '\0';
	for (c = 1; c < 256; c++) {
		one[0] = (char)c;
		for (n = 0; n <= 5; n++) {
			check_url_encode(one, n);
		}
		check_url_encode(one, OUT_MAX);
	}
	/* All bytes together. */
	for (c = 1; c < 256; c++) {
		all[c - 1] = (char)c;
	}
	all[255] = '\0';
	for (n = 0; n <= 3 * 255 + 2; n++) {
		check_url_encode(all, n);
	}
	check_url_encode(all, OUT_MAX);
	for (i = 0; i < COUNT(encode_src); i++) {
		for (n = 0; n <= 3 * strlen(encode_src[i]) + 2; n++) {
			check_url_encode(encode_src[i], n);
		}
		check_url_encode(encode_src[i], OUT_MAX);
	}
}

/* ---- mg_strcasecmp / mg_strncasecmp ----------------------------------------- */

/* Compares the exact values, not only their signs. */
static void
check_casecmp(const char *s1, const char *s2, size_t len, int bounded)
{
	int ra, rb;

	if (bounded) {
		ra = mg_strncasecmp(s1, s2, len);
		rb = cb_mg_strncasecmp(s1, s2, len);
	} else {
		ra = mg_strcasecmp(s1, s2);
		rb = cb_mg_strcasecmp(s1, s2);
	}
	comparisons++;
	if (ra != rb) {
		if (bounded) {
			mismatch("mg_strncasecmp(%s, %s, %zu): civetweb %d, civetbox %d",
			         show_str(s1), show_str(s2), len, ra, rb);
		} else {
			mismatch("mg_strcasecmp(%s, %s): civetweb %d, civetbox %d",
			         show_str(s1), show_str(s2), ra, rb);
		}
	}
}

static const char *const casecmp_strs[] = {
    "", "a", "A", "b", "B", "ab", "AB", "aB", "abc", "abd", "ABC", "abC\xff",
    "content-type", "Content-Type", "CONTENT-TYPE", "Content-Length", "[",
    "{", "@", "`", "_", "\x80", "\xff", "\xc3\xa9", "\xc3\x89", "Z", "z",
};

static void
corpus_casecmp(void)
{
	char x[2], y[2];
	size_t i, j, n;
	int a, b;

	for (i = 0; i < COUNT(casecmp_strs); i++) {
		for (j = 0; j < COUNT(casecmp_strs); j++) {
			const char *s1 = casecmp_strs[i], *s2 = casecmp_strs[j];
			check_casecmp(s1, s2, 0, 0);
			for (n = 0; n <= 16; n++) {
				check_casecmp(s1, s2, n, 1);
			}
			check_casecmp(s1, s2, SIZE_MAX, 1);
		}
	}
	/* Every pair of single bytes (byte 0 is the empty string). */
	x[1] = y[1] = '\0';
	for (a = 0; a < 256; a++) {
		for (b = 0; b < 256; b++) {
			x[0] = (char)a;
			y[0] = (char)b;
			check_casecmp(x, y, 0, 0);
			check_casecmp(x, y, 1, 1);
			check_casecmp(x, y, 2, 1);
		}
	}
}

/* ---- mg_split_form_urlencoded ------------------------------------------------- */

#define MAX_FIELDS 64

/* Distinguishes untouched entries from NULL and from pointers into data. */
static const char untouched[] = "untouched";

/* Describes a field pointer relative to the data block it points into. */
static long
field_offset(const char *p, const char *data, size_t size)
{
	if (p == NULL) {
		return -1;
	}
	if (p == untouched) {
		return -2;
	}
	if (p < data || p >= data + size) {
		return -3;
	}
	return (long)(p - data);
}

static void
check_split(const char *input, int fields_null, unsigned count)
{
	size_t size = strlen(input) + 1, i;
	char *da = copy_exact(input, size), *db = copy_exact(input, size);
	struct mg_header fa[MAX_FIELDS], fb[MAX_FIELDS];
	const char *problem = NULL;
	long oa = 0, ob = 0;
	int ra, rb;

	for (i = 0; i < MAX_FIELDS; i++) {
		fa[i].name = fa[i].value = fb[i].name = fb[i].value = untouched;
	}
	ra = mg_split_form_urlencoded(da, fields_null ? NULL : fa, count);
	rb = cb_mg_split_form_urlencoded(db, fields_null ? NULL : fb, count);
	comparisons++;
	if (ra != rb) {
		problem = "return value";
	} else if (memcmp(da, db, size) != 0) {
		problem = "rewritten data";
	}
	for (i = 0; problem == NULL && i < MAX_FIELDS; i++) {
		oa = field_offset(fa[i].name, da, size);
		ob = field_offset(fb[i].name, db, size);
		if (oa != ob || oa == -3) {
			problem = "a name pointer";
			break;
		}
		oa = field_offset(fa[i].value, da, size);
		ob = field_offset(fb[i].value, db, size);
		if (oa != ob || oa == -3) {
			problem = "a value pointer";
			break;
		}
	}
	if (problem != NULL) {
		mismatch("mg_split_form_urlencoded(%s, %s, %u): %s differs "
		         "(field %zu offsets %ld/%ld): civetweb %d %s, civetbox %d %s",
		         show_str(input), fields_null ? "NULL" : "fields", count,
		         problem, i, oa, ob, ra, show(da, (long)size), rb,
		         show(db, (long)size));
	}
	free(da);
	free(db);
}

static const char *const split_inputs[] = {
    "", "a", "a=1", "a=1&b=2", "a&b", "a=&b=", "=1", "=", "&", "&&",
    "a=1&", "&a=1", " a=1", "\ta=1& b=2", "  ", " ", "a= 1", "a=1=2&b",
    "a%3D1=x%26y", "a+b=c+d", "%41=%42", "%4=%", "a=1&&b=2", "x=%zz&y=%2",
    "k1=v1&k2=v2&k3=v3&k4=v4&k5=v5&k6=v6&k7=v7&k8=v8&k9=v9", "a=b&c",
    "a\t=1", "a=1& &b=2", " & ", "a=%00b", "a=%41%42%43&b=%25%32%35",
    "\t \t", "a =b", "a&&", "=&=", "a=1 &b=2 ", "&=&", "a=\xff%ff",
};

static void
corpus_split(void)
{
	static const unsigned counts[] = {
	    0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 63, INT_MAX, (unsigned)INT_MAX + 1,
	    UINT_MAX,
	};
	size_t i, j;

	for (i = 0; i < COUNT(split_inputs); i++) {
		for (j = 0; j < COUNT(counts); j++) {
			check_split(split_inputs[i], 0, counts[j]);
			check_split(split_inputs[i], 1, counts[j]);
		}
	}
	comparisons++;
	if (mg_split_form_urlencoded(NULL, NULL, 0) !=
	    cb_mg_split_form_urlencoded(NULL, NULL, 0)) {
		mismatch("mg_split_form_urlencoded(NULL, NULL, 0) differs");
	}
}

/* ---- mg_get_response_code_text ---------------------------------------------- */

static void
check_status_text(int code)
{
	const char *a = mg_get_response_code_text(NULL, code);
	const char *b = cb_mg_get_response_code_text(NULL, code);

	comparisons++;
	if (a == NULL || b == NULL || strcmp(a, b) != 0) {
		mismatch("mg_get_response_code_text(NULL, %d): civetweb %s, civetbox %s",
		         code, show_str(a), show_str(b));
	}
}

static void
corpus_status_text(void)
{
	static const int extremes[] = {INT_MIN, INT_MIN + 1, -1, 0, 99, 600,
	                               9999, 100000, INT_MAX};
	size_t i;
	int code;

	for (code = -100; code <= 1100; code++) {
		check_status_text(code);
	}
	for (i = 0; i < COUNT(extremes); i++) {
		check_status_text(extremes[i]);
	}
}

/* ---- fuzzing ---------------------------------------------------------------------- */

static uint32_t fuzz_state = 0x2545f491u;

/* xorshift32: the same sequence on every platform. */
static uint32_t
next_random(void)
{
	fuzz_state ^= fuzz_state << 13;
	fuzz_state ^= fuzz_state >> 17;
	fuzz_state ^= fuzz_state << 5;
	return fuzz_state;
}

/* A number in [lo, hi]. */
static int
random_in(int lo, int hi)
{
	return lo + (int)(next_random() % (uint32_t)(hi - lo + 1));
}

static void
random_string(char *s, int max_len, const char *alphabet)
{
	int i, n = random_in(0, max_len);
	size_t k = strlen(alphabet);

	for (i = 0; i < n; i++) {
		s[i] = alphabet[next_random() % k];
	}
	s[n] = '\0';
}

static void
fuzz(long iterations)
{
	static const char text_alphabet[] = "ab=&%2+;x \"A4f";
	static const char name_alphabet[] = "abA=& x";
	char s[32], t[32], name[8];
	long it;
	int len;

	for (it = 0; it < iterations; it++) {
		random_string(s, 16, text_alphabet);
		random_string(t, 16, text_alphabet);
		random_string(name, 3, name_alphabet);
		len = (int)strlen(s);

		check_get_var(s, (size_t)random_in(0, len + 1), name, 0,
		              size_or_max((size_t)random_in(0, len + 3) +
		                          (random_in(0, 9) == 0 ? OUT_MAX : 0)),
		              (size_t)random_in(0, 3), 0);
		check_get_var(s, (size_t)len, name, 0, (size_t)random_in(0, len + 2),
		              0, 1);
		check_cookie(s, name, 0, (size_t)random_in(0, len + 2));
		check_url_decode(s, random_in(-1, len), random_in(-1, len + 2),
		                 random_in(0, 1));
		check_url_encode(s, (size_t)random_in(0, 3 * len + 2));
		check_split(s, random_in(0, 4) == 0, (unsigned)random_in(0, 6));
		check_casecmp(s, t, 0, 0);
		check_casecmp(s, t, (size_t)random_in(0, 18), 1);
	}
}

int
main(int argc, char **argv)
{
	long iterations = argc > 1 ? atol(argv[1]) : 20000;
	long corpus;

	corpus_get_var();
	corpus_cookie();
	corpus_url_decode();
	corpus_url_encode();
	corpus_casecmp();
	corpus_split();
	corpus_status_text();
	corpus = comparisons;
	fuzz(iterations);

	if (mismatches > MAX_REPORTS) {
		printf("... %ld more mismatches not shown\n", mismatches - MAX_REPORTS);
	}
	printf("%ld corpus comparisons, %ld fuzz iterations (%ld comparisons), "
	       "%ld mismatches\n",
	       corpus, iterations, comparisons - corpus, mismatches);
	return mismatches == 0 ? 0 : 1;
}
