/* CivetWeb's string, form, cookie and URL helpers, run inside the guest.
 *
 * Handlers ported from CivetWeb depend on the exact results of these
 * functions (return codes, what is left in a too-small buffer), so each one
 * reproduces CivetWeb 1.15 observably, quirks included; the quirks are noted
 * where they happen. guests/c/util_test.go checks this against libcivetweb. */

#include <ctype.h>
#include <string.h>

#include "civetweb.h"

/* ---- case-insensitive comparison ------------------------------------------ */

/* CivetWeb folds in the C locale and compares bytes as unsigned char. */
static int
fold(char c)
{
	return tolower((unsigned char)c);
}

/* Returns the folded difference at the first mismatch, as CivetWeb does. */
int
mg_strncasecmp(const char *s1, const char *s2, size_t len)
{
	size_t i;
	int diff;

	for (i = 0; i < len; i++) {
		diff = fold(s1[i]) - fold(s2[i]);
		if (diff != 0 || s1[i] == '\0') {
			return diff;
		}
	}
	return 0;
}

int
mg_strcasecmp(const char *s1, const char *s2)
{
	/* The terminator ends the comparison long before this length does. */
	return mg_strncasecmp(s1, s2, (size_t)-1);
}

/* First case-insensitive occurrence of needle (needle_len bytes) in hay. */
static const char *
find_nocase(const char *hay, const char *needle, size_t needle_len)
{
	if (needle_len == 0) {
		return hay;
	}
	for (; *hay != '\0'; hay++) {
		if (mg_strncasecmp(hay, needle, needle_len) == 0) {
			return hay;
		}
	}
	return NULL;
}

/* ---- URL encoding ------------------------------------------------------------ */

/* Returns the value of a hex digit, or -1. */
static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

int
mg_url_decode(const char *src,
              int src_len,
              char *dst,
              int dst_len,
              int is_form_url_encoded)
{
	int in = 0, out = 0;
	int hi, lo;
	char c;

	/* CivetWeb crashes on a NULL dst; in wasm that write would silently
	 * land at address 0, so it is an error here. */
	if (dst == NULL) {
		return -1;
	}
	/* out + 1 < dst_len keeps a byte for the terminator without the
	 * overflow dst_len - 1 would have for INT_MIN. */
	while (in < src_len && out + 1 < dst_len) {
		c = src[in];
		/* A '%' without two hex digits inside src_len stays literal. */
		if (c == '%' && src_len - in > 2 &&
		    (hi = hex_digit(src[in + 1])) >= 0 &&
		    (lo = hex_digit(src[in + 2])) >= 0) {
			dst[out++] = (char)(hi << 4 | lo);
			in += 3;
			continue;
		}
		dst[out++] = (is_form_url_encoded && c == '+') ? ' ' : c;
		in++;
	}
	/* Like CivetWeb, this terminates even when dst_len is 0 or negative,
	 * so dst must always have room for one byte. */
	dst[out] = '\0';
	/* The decoded prefix stays in dst when it did not fit. */
	return in >= src_len ? out : -1;
}

/* Bytes mg_url_encode copies unescaped besides letters and digits. */
static int
is_unreserved(unsigned char c)
{
	return isalnum(c) || (c != '\0' && strchr("._-$,;~()", c) != NULL);
}

int
mg_url_encode(const char *src, char *dst, size_t dst_len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	size_t room, out = 0;

	/* NULL would crash CivetWeb; see mg_url_decode. */
	if (src == NULL || dst == NULL) {
		return -1;
	}
	if (dst_len == 0) {
		/* CivetWeb still writes the terminator at dst[0]. */
		dst[0] = '\0';
		return *src == '\0' ? 0 : -1;
	}
	room = dst_len - 1;
	for (; *s != '\0'; s++) {
		if (is_unreserved(*s)) {
			if (out == room) {
				break;
			}
			dst[out++] = (char)*s;
		} else {
			/* An escape is written whole or not at all. */
			if (room - out < 3) {
				break;
			}
			dst[out++] = '%';
			dst[out++] = hex[*s >> 4];
			dst[out++] = hex[*s & 0xf];
		}
	}
	dst[out] = '\0';
	return *s == '\0' ? (int)out : -1;
}

/* ---- form variables ------------------------------------------------------- */

int
mg_get_var(const char *data,
           size_t data_len,
           const char *var_name,
           char *dst,
           size_t dst_len)
{
	return mg_get_var2(data, data_len, var_name, dst, dst_len, 0);
}

int
mg_get_var2(const char *data,
            size_t data_len,
            const char *var_name,
            char *dst,
            size_t dst_len,
            size_t occurrence)
{
	const char *end, *field, *value, *value_end, *amp;
	size_t name_len;
	int n;

	if (dst == NULL || dst_len == 0) {
		return -2;
	}
	dst[0] = '\0';
	if (data == NULL || var_name == NULL || data_len == 0) {
		return -1;
	}
	name_len = strlen(var_name);
	end = data + data_len;
	/* Fields start at data and after every '&'; the '=' must lie inside
	 * data_len. Names are compared undecoded, ignoring case, and only
	 * matching fields use up an occurrence. */
	for (field = data; (size_t)(end - field) > name_len; field = amp + 1) {
		if (field[name_len] == '=' &&
		    mg_strncasecmp(var_name, field, name_len) == 0 &&
		    occurrence-- == 0) {
			value = field + name_len + 1;
			value_end = memchr(value, '&', (size_t)(end - value));
			if (value_end == NULL) {
				value_end = end;
			}
			/* CivetWeb narrows dst_len to int: past INT_MAX it wraps. */
			n = mg_url_decode(value, (int)(value_end - value), dst,
			                  (int)dst_len, 1);
			/* Too long for dst is -2, with the prefix left in dst. */
			return n == -1 ? -2 : n;
		}
		amp = memchr(field, '&', (size_t)(end - field));
		if (amp == NULL) {
			break;
		}
	}
	return -1;
}

/* Decodes a NUL-terminated form string where it lies; bytes after the new
 * terminator keep their old contents, as in CivetWeb. */
static void
form_decode_in_place(char *s)
{
	int len = (int)strlen(s);

	mg_url_decode(s, len, s, len + 1, 1);
}

/* The field count CivetWeb reports when asked with no array: one more than
 * the number of '&', whatever lies between them. */
static int
count_form_fields(const char *data)
{
	int n = 1;

	if (*data == '\0') {
		return 0;
	}
	for (; *data != '\0'; data++) {
		n += *data == '&';
	}
	return n;
}

int
mg_split_form_urlencoded(char *data,
                         struct mg_header *form_fields,
                         unsigned num_form_fields)
{
	char *p = data, *sep;
	int n = 0, i;

	if (data == NULL) {
		return -1;
	}
	if (form_fields == NULL && num_form_fields == 0) {
		return count_form_fields(data);
	}
	/* CivetWeb reads the count as an int, so huge counts are errors. */
	if (form_fields == NULL || (int)num_form_fields <= 0) {
		return -1;
	}
	while (n < (int)num_form_fields) {
		/* Blanks before a name are dropped; blanks in values are kept. */
		p += strspn(p, " \t");
		if (*p == '\0') {
			break;
		}
		form_fields[n].name = p;
		form_fields[n].value = NULL;
		sep = p + strcspn(p, "&=");
		if (*sep == '=') {
			*sep = '\0';
			p = sep + 1;
			form_fields[n].value = p;
		}
		n++;
		/* The value runs to the next '&', even across further '='. */
		sep = strchr(p, '&');
		if (sep == NULL) {
			break;
		}
		*sep = '\0';
		p = sep + 1;
	}
	for (i = 0; i < n; i++) {
		form_decode_in_place((char *)form_fields[i].name);
		if (form_fields[i].value != NULL) {
			form_decode_in_place((char *)form_fields[i].value);
		}
	}
	return n;
}

/* ---- cookies ------------------------------------------------------------------ */

/* Copies the cookie value starting at value into buf. Only a space ends a
 * value (a ';' right before it is dropped), and one pair of surrounding
 * double quotes is removed. Returns its length, or -3 if it does not fit. */
static int
copy_cookie_value(const char *value, char *buf, size_t buf_len)
{
	const char *end = strchr(value, ' ');
	size_t len;

	if (end == NULL) {
		end = value + strlen(value);
	}
	/* value[-1] is the '=', so end[-1] is always readable. */
	if (end[-1] == ';') {
		end--;
	}
	if (end - value >= 2 && value[0] == '"' && end[-1] == '"') {
		value++;
		end--;
	}
	len = (size_t)(end - value);
	if (len >= buf_len) {
		return -3;
	}
	memcpy(buf, value, len);
	buf[len] = '\0';
	return (int)len;
}

int
mg_get_cookie(const char *cookie,
              const char *var_name,
              char *buf,
              size_t buf_len)
{
	const char *s;
	size_t name_len;

	if (buf == NULL || buf_len == 0) {
		return -2;
	}
	buf[0] = '\0';
	if (cookie == NULL || var_name == NULL) {
		return -1;
	}
	name_len = strlen(var_name);
	/* A name counts only at the start or after a space (not after ';'),
	 * and the search resumes after a rejected match, not inside it. */
	for (s = find_nocase(cookie, var_name, name_len); s != NULL;
	     s = find_nocase(s + name_len, var_name, name_len)) {
		if (s[name_len] == '=' && (s == cookie || s[-1] == ' ')) {
			return copy_cookie_value(s + name_len + 1, buf, buf_len);
		}
		/* An empty name never advances: CivetWeb loops forever here. */
		if (name_len == 0) {
			break;
		}
	}
	return -1;
}

/* ---- status text ------------------------------------------------------------ */

/* CivetWeb's reason phrases, byte for byte (422's typo included). */
static const struct status_text {
	int code;
	const char *text;
} status_texts[] = {
	{100, "Continue"},
	{101, "Switching Protocols"},
	{102, "Processing"},
	{200, "OK"},
	{201, "Created"},
	{202, "Accepted"},
	{203, "Non-Authoritative Information"},
	{204, "No Content"},
	{205, "Reset Content"},
	{206, "Partial Content"},
	{207, "Multi-Status"},
	{208, "Already Reported"},
	{226, "IM used"},
	{300, "Multiple Choices"},
	{301, "Moved Permanently"},
	{302, "Found"},
	{303, "See Other"},
	{304, "Not Modified"},
	{305, "Use Proxy"},
	{307, "Temporary Redirect"},
	{308, "Permanent Redirect"},
	{400, "Bad Request"},
	{401, "Unauthorized"},
	{402, "Payment Required"},
	{403, "Forbidden"},
	{404, "Not Found"},
	{405, "Method Not Allowed"},
	{406, "Not Acceptable"},
	{407, "Proxy Authentication Required"},
	{408, "Request Time-out"},
	{409, "Conflict"},
	{410, "Gone"},
	{411, "Length Required"},
	{412, "Precondition Failed"},
	{413, "Request Entity Too Large"},
	{414, "Request-URI Too Large"},
	{415, "Unsupported Media Type"},
	{416, "Requested range not satisfiable"},
	{417, "Expectation Failed"},
	{418, "I am a teapot"},
	{419, "Authentication Timeout"},
	{420, "Enhance Your Calm"},
	{421, "Misdirected Request"},
	{422, "Unproccessable entity"},
	{423, "Locked"},
	{424, "Failed Dependency"},
	{426, "Upgrade Required"},
	{428, "Precondition Required"},
	{429, "Too Many Requests"},
	{431, "Request Header Fields Too Large"},
	{440, "Login Timeout"},
	{451, "Unavailable For Legal Reasons"},
	{500, "Internal Server Error"},
	{501, "Not Implemented"},
	{502, "Bad Gateway"},
	{503, "Service Unavailable"},
	{504, "Gateway Time-out"},
	{505, "HTTP Version not supported"},
	{506, "Variant Also Negotiates"},
	{507, "Insufficient Storage"},
	{508, "Loop Detected"},
	{509, "Bandwidth Limit Exceeded"},
	{510, "Not Extended"},
	{511, "Network Authentication Required"},
};

const char *
mg_get_response_code_text(const struct mg_connection *conn, int response_code)
{
	static const char *const classes[] = {
	    "Information", "Success", "Redirection", "Client Error", "Server Error",
	};
	size_t i;

	(void)conn; /* CivetWeb only logs unknown codes to it. */
	for (i = 0; i < sizeof(status_texts) / sizeof(status_texts[0]); i++) {
		if (status_texts[i].code == response_code) {
			return status_texts[i].text;
		}
	}
	/* Unlisted codes get their class name, codes outside 100-599 nothing. */
	if (response_code >= 100 && response_code < 600) {
		return classes[response_code / 100 - 1];
	}
	return "";
}
