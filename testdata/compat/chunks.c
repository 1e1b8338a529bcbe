/* chunks: mg_send_http_ok(conn, type, -1) declares a chunked response and
 * mg_send_chunk sends its pieces.
 *
 *   /chunks/basic        three chunks and the terminating empty chunk
 *   /chunks/many         200 chunks of 1 to 200 bytes
 *   /chunks/big          one 100000-byte chunk
 *   /chunks/empty        only the terminating chunk
 *   /chunks/returns      each chunk reports what the previous mg_send_chunk
 *                        and mg_send_http_ok returned; what the terminating
 *                        chunk returned is reported with mg_cry
 *                        ("compat-observe: ..."), which the suite compares
 *   /chunks/mixed        mg_send_chunk mixed with chunks framed by hand with
 *                        mg_printf and mg_write
 *   /chunks/unterminated never sends the terminating chunk
 *   /chunks/null-type    mg_send_http_ok(conn, NULL, -1): text/html
 */

#include <stdio.h>
#include <string.h>

#include "civetweb.h"

static int
basic_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_http_ok(conn, "text/plain", -1);
	mg_send_chunk(conn, "Hello", 5);
	mg_send_chunk(conn, ", ", 2);
	mg_send_chunk(conn, "chunks!\n", 8);
	mg_send_chunk(conn, "", 0);
	return 200;
}

static int
many_handler(struct mg_connection *conn, void *cbdata)
{
	char piece[256];
	int i, j;

	(void)cbdata;
	mg_send_http_ok(conn, "application/octet-stream", -1);
	for (i = 1; i <= 200; i++) {
		for (j = 0; j < i; j++) {
			piece[j] = (char)(i + j);
		}
		mg_send_chunk(conn, piece, (unsigned)i);
	}
	mg_send_chunk(conn, "", 0);
	return 200;
}

static char big[100000];

static int
big_handler(struct mg_connection *conn, void *cbdata)
{
	size_t i;

	(void)cbdata;
	for (i = 0; i < sizeof(big); i++) {
		big[i] = (char)('0' + i % 10);
	}
	mg_send_http_ok(conn, "text/plain", -1);
	mg_send_chunk(conn, big, sizeof(big));
	mg_send_chunk(conn, "", 0);
	return 200;
}

static int
empty_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_http_ok(conn, "text/plain", -1);
	mg_send_chunk(conn, "", 0);
	return 200;
}

static int
returns_handler(struct mg_connection *conn, void *cbdata)
{
	char line[128];
	int rc, len;

	(void)cbdata;
	rc = mg_send_http_ok(conn, "text/plain", -1);
	len = snprintf(line, sizeof(line), "mg_send_http_ok returned %d\n", rc);
	rc = mg_send_chunk(conn, line, (unsigned)len);
	len = snprintf(line, sizeof(line), "mg_send_chunk of %d bytes returned %d\n", len, rc);
	rc = mg_send_chunk(conn, line, (unsigned)len);
	len = snprintf(line, sizeof(line), "mg_send_chunk of %d bytes returned %d\n", len, rc);
	rc = mg_send_chunk(conn, line, (unsigned)len);
	len = snprintf(line, sizeof(line), "then %d\n", rc);
	mg_send_chunk(conn, line, (unsigned)len);
	mg_cry(conn, "compat-observe: the terminating mg_send_chunk returned %d", mg_send_chunk(conn, "", 0));
	return 200;
}

static int
mixed_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_http_ok(conn, "text/plain", -1);
	mg_send_chunk(conn, "one,", 4);
	mg_printf(conn, "4\r\ntwo,\r\n");
	mg_send_chunk(conn, "three,", 6);
	mg_write(conn, "5\r\nfour,\r\n", 10);
	mg_write(conn, "0\r\n\r\n", 5);
	return 200;
}

static int
unterminated_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_http_ok(conn, "text/plain", -1);
	mg_send_chunk(conn, "no last chunk\n", 14);
	return 200;
}

static int
null_type_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_http_ok(conn, NULL, -1);
	mg_send_chunk(conn, "<p>html</p>\n", 12);
	mg_send_chunk(conn, "", 0);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/chunks/basic", basic_handler, NULL);
	mg_set_request_handler(ctx, "/chunks/many", many_handler, NULL);
	mg_set_request_handler(ctx, "/chunks/big", big_handler, NULL);
	mg_set_request_handler(ctx, "/chunks/empty", empty_handler, NULL);
	mg_set_request_handler(ctx, "/chunks/returns", returns_handler, NULL);
	mg_set_request_handler(ctx, "/chunks/mixed", mixed_handler, NULL);
	mg_set_request_handler(ctx, "/chunks/unterminated", unterminated_handler, NULL);
	mg_set_request_handler(ctx, "/chunks/null-type", null_type_handler, NULL);
	return 0;
}
