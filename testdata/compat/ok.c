/* ok: mg_send_http_ok with a known length, then the body with mg_write.
 *
 *   /ok/text        text/plain; charset=utf-8 and a short body
 *   /ok/null-type   mime_type NULL: text/html
 *   /ok/empty-type  mime_type "": text/html
 *   /ok/zero        length 0 and no body
 *   /ok/large       1 MiB written in 4000-byte pieces
 *   /ok/returns     the body reports what mg_send_http_ok and mg_write
 *                   returned, and what a second mg_send_http_ok returns once
 *                   the head is out (fixed-width numbers keep the length
 *                   known before the calls)
 */

#include <stdio.h>
#include <string.h>

#include "civetweb.h"

static int
text_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_http_ok(conn, "text/plain; charset=utf-8", 6);
	mg_write(conn, "hello\n", 6);
	return 200;
}

static int
null_type_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_http_ok(conn, NULL, 12);
	mg_write(conn, "<p>null</p>\n", 12);
	return 200;
}

static int
empty_type_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_http_ok(conn, "", 13);
	mg_write(conn, "<p>empty</p>\n", 13);
	return 200;
}

static int
zero_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_http_ok(conn, "text/plain", 0);
	return 200;
}

static int
large_handler(struct mg_connection *conn, void *cbdata)
{
	char piece[4000];
	long long sent = 0, total = 1 << 20;
	int i;

	(void)cbdata;
	mg_send_http_ok(conn, "application/octet-stream", total);
	while (sent < total) {
		int n = (int)(total - sent < (long long)sizeof(piece) ? total - sent : (long long)sizeof(piece));
		for (i = 0; i < n; i++) {
			piece[i] = (char)((sent + i) * 31 % 251);
		}
		mg_write(conn, piece, (size_t)n);
		sent += n;
	}
	return 200;
}

#define RETURNS_FORMAT "mg_send_http_ok %+04d, mg_write of 0 bytes %+04d, mg_send_http_ok again %+04d\n"

static int
returns_handler(struct mg_connection *conn, void *cbdata)
{
	char line[128];
	int ok, w, again, len;

	(void)cbdata;
	/* The numbers have a fixed width, so the length is known first. */
	len = snprintf(NULL, 0, RETURNS_FORMAT, 0, 0, 0);
	ok = mg_send_http_ok(conn, "text/plain", len);
	w = mg_write(conn, "", 0);
	again = mg_send_http_ok(conn, "text/plain", len);
	len = snprintf(line, sizeof(line), RETURNS_FORMAT, ok, w, again);
	mg_write(conn, line, (size_t)len);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/ok/text", text_handler, NULL);
	mg_set_request_handler(ctx, "/ok/null-type", null_type_handler, NULL);
	mg_set_request_handler(ctx, "/ok/empty-type", empty_type_handler, NULL);
	mg_set_request_handler(ctx, "/ok/zero", zero_handler, NULL);
	mg_set_request_handler(ctx, "/ok/large", large_handler, NULL);
	mg_set_request_handler(ctx, "/ok/returns", returns_handler, NULL);
	return 0;
}
