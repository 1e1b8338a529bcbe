/* info: describes the request — every field of mg_request_info and all
 * headers — as text/plain. The body is assembled first so the response can
 * carry its Content-Length. */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "civetweb.h"

struct text {
	char buf[16384];
	size_t len;
};

static void
add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	if (n > 0) {
		t->len += (size_t)n;
		if (t->len >= sizeof(t->buf)) {
			t->len = sizeof(t->buf) - 1; /* truncated */
		}
	}
}

static const char *
or_null(const char *s)
{
	return s ? s : "(null)";
}

static int
info_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	int i;

	(void)cbdata;
	t.len = 0;
	add(&t, "request_method: %s\n", or_null(ri->request_method));
	add(&t, "request_uri: %s\n", or_null(ri->request_uri));
	add(&t, "local_uri_raw: %s\n", or_null(ri->local_uri_raw));
	add(&t, "local_uri: %s\n", or_null(ri->local_uri));
	add(&t, "http_version: %s\n", or_null(ri->http_version));
	add(&t, "query_string: %s\n", or_null(ri->query_string));
	add(&t, "remote_user: %s\n", or_null(ri->remote_user));
	add(&t, "remote_addr: %s\n", ri->remote_addr);
	add(&t, "content_length: %lld\n", ri->content_length);
	add(&t, "is_ssl: %d\n", ri->is_ssl);
	add(&t, "num_headers: %d\n", ri->num_headers);
	for (i = 0; i < ri->num_headers; i++) {
		add(&t, "header: %s: %s\n", ri->http_headers[i].name,
		    ri->http_headers[i].value);
	}
	mg_send_http_ok(conn, "text/plain; charset=utf-8", (long long)t.len);
	mg_write(conn, t.buf, t.len);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/info", info_handler, NULL);
	return 0;
}
