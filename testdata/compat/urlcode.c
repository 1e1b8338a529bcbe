/* urlcode: mg_url_decode and mg_url_encode.
 *
 *   /urlcode[?query]  decodes the raw query string (as a path and as form
 *                     data), encodes the result again, and runs both
 *                     functions on fixed strings and with buffers too small
 */

#include <string.h>

#include "civetweb.h"
#include "text.h"

/* Prints bytes with anything outside printable ASCII as \xNN. */
static void
add_bytes(struct text *t, const char *s, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			add(t, "%c", c);
		} else {
			add(t, "\\x%02x", c);
		}
	}
}

static const char *const samples[] = {
    "plain", "a%20b", "a+b", "%41%42%43", "%4", "%", "%zz", "100%", "%e2%82%ac",
    "%00nul", "a%2Fb", "%2e%2e", "",
};

static const char *const to_encode[] = {
    "plain", "a b", "a+b", "a/b?c=d&e#f", "-_.~!*'()", "\xe2\x82\xac", "\x01\x7f", "", "%",
};

static void
decode(struct text *t, const char *src, int src_len, int dst_len, int form)
{
	char dst[1024];
	int rc = mg_url_decode(src, src_len, dst, dst_len, form);

	add(t, "decode(\"");
	add_bytes(t, src, src_len);
	add(t, "\", dst_len %d, form %d) = %d [", dst_len, form, rc);
	if (rc >= 0) {
		add_bytes(t, dst, rc);
	}
	add(t, "]\n");
}

static void
encode(struct text *t, const char *src, size_t dst_len)
{
	char dst[1024];
	int rc = mg_url_encode(src, dst, dst_len);

	add(t, "encode(\"");
	add_bytes(t, src, (int)strlen(src));
	add(t, "\", dst_len %zu) = %d [%s]\n", dst_len, rc, rc >= 0 ? dst : "");
}

static int
urlcode_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *qs = ri->query_string;
	char decoded[1024];
	size_t i;
	int n;

	(void)cbdata;
	t.len = 0;
	if (qs != NULL) {
		decode(&t, qs, (int)strlen(qs), 1024, 0);
		decode(&t, qs, (int)strlen(qs), 1024, 1);
		n = mg_url_decode(qs, (int)strlen(qs), decoded, sizeof(decoded), 1);
		if (n >= 0) {
			encode(&t, decoded, 1024);
		}
	}
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		decode(&t, samples[i], (int)strlen(samples[i]), 1024, 0);
		decode(&t, samples[i], (int)strlen(samples[i]), 1024, 1);
		decode(&t, samples[i], (int)strlen(samples[i]), 3, 0);
	}
	for (i = 0; i < sizeof(to_encode) / sizeof(to_encode[0]); i++) {
		encode(&t, to_encode[i], 1024);
		encode(&t, to_encode[i], 4);
		encode(&t, to_encode[i], 1);
	}
	send_text(conn, "text/plain", &t);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/urlcode", urlcode_handler, NULL);
	return 0;
}
