/* raw: responses written byte for byte with mg_write and mg_printf, status
 * line and headers included, as most CivetWeb handlers do.
 *
 *   /raw/length       Content-Length and a custom header
 *   /raw/no-length    no Content-Length: the body ends when the connection
 *                     does (clients ask for Connection: close)
 *   /raw/close        says "Connection: close" itself
 *   /raw/keep-alive   says "Connection: keep-alive" itself
 *   /raw/chunked      its own chunked framing
 *   /raw/chunked-ext  its own chunked framing with a chunk extension
 *   /raw/trailer      its own chunked framing with a trailer
 *   /raw/bytewise     the whole response one byte per mg_write
 *   /raw/split        the head split across mg_write calls at odd places
 *   /raw/large        a 200000-byte body from one mg_printf
 *   /raw/format       mg_printf conversions
 *   /raw/http10       an "HTTP/1.0" status line
 *   /raw/reason       status 299 with its own reason phrase
 *   /raw/lowercase    lower-case header names
 *   /raw/repeated     repeated headers
 *   /raw/204          204 without a body
 *   /raw/interim      an interim "100 Continue" before the real head
 *   /raw/body-only    no status line at all, just body bytes
 *   /raw/overlong     more body bytes than its Content-Length says
 *
 * Some handlers report what mg_write and mg_printf returned with mg_cry
 * ("compat-observe: ..."), which the suite compares too.
 */

#include <stdio.h>
#include <string.h>

#include "civetweb.h"

static int
length_handler(struct mg_connection *conn, void *cbdata)
{
	int rc;

	(void)cbdata;
	rc = mg_printf(conn, "HTTP/1.1 200 OK\r\n"
	                     "Content-Type: text/plain\r\n"
	                     "Content-Length: 13\r\n"
	                     "X-Raw: yes\r\n"
	                     "\r\n"
	                     "raw response\n");
	mg_cry(conn, "compat-observe: mg_printf returned %d", rc);
	return 200;
}

static int
no_length_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\n"
	                "Content-Type: text/plain\r\n"
	                "\r\n");
	mg_printf(conn, "no length: the body ends with the connection\n");
	return 200;
}

static int
close_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\n"
	                "Content-Type: text/plain\r\n"
	                "Content-Length: 6\r\n"
	                "Connection: close\r\n"
	                "\r\n"
	                "close\n");
	return 200;
}

static int
keep_alive_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\n"
	                "Content-Type: text/plain\r\n"
	                "Content-Length: 11\r\n"
	                "Connection: keep-alive\r\n"
	                "\r\n"
	                "keep-alive\n");
	return 200;
}

static int
chunked_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\n"
	                "Content-Type: text/plain\r\n"
	                "Transfer-Encoding: chunked\r\n"
	                "\r\n");
	mg_printf(conn, "5\r\nHello\r\n");
	mg_printf(conn, "%x\r\n%s\r\n", 8, ", chunks");
	mg_printf(conn, "1A\r\nabcdefghijklmnopqrstuvwxyz\r\n");
	mg_printf(conn, "0\r\n\r\n");
	return 200;
}

static int
chunked_ext_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\n"
	                "Content-Type: text/plain\r\n"
	                "Transfer-Encoding: chunked\r\n"
	                "\r\n"
	                "5;name=value\r\nHello\r\n"
	                "0\r\n\r\n");
	return 200;
}

static int
trailer_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\n"
	                "Content-Type: text/plain\r\n"
	                "Transfer-Encoding: chunked\r\n"
	                "\r\n"
	                "5\r\nHello\r\n"
	                "0\r\nX-Checksum: 42\r\n\r\n");
	return 200;
}

static const char bytewise_response[] = "HTTP/1.1 200 OK\r\n"
                                        "Content-Type: text/plain\r\n"
                                        "Content-Length: 20\r\n"
                                        "\r\n"
                                        "one byte at a time.\n";

static int
bytewise_handler(struct mg_connection *conn, void *cbdata)
{
	size_t i;
	int sum = 0;

	(void)cbdata;
	for (i = 0; i < sizeof(bytewise_response) - 1; i++) {
		sum += mg_write(conn, bytewise_response + i, 1);
	}
	mg_cry(conn, "compat-observe: %zu one-byte mg_write calls returned %d in all",
	       sizeof(bytewise_response) - 1, sum);
	return 200;
}

static int
split_handler(struct mg_connection *conn, void *cbdata)
{
	static const char *const parts[] = {
	    "HTT", "P/1.1 2", "00 OK\r", "\nContent-Type: te", "xt/plain\r\nConte",
	    "nt-Length: 6\r\n\r", "\nsp", "lit\n",
	};
	size_t i;

	(void)cbdata;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		int rc = mg_write(conn, parts[i], strlen(parts[i]));
		mg_cry(conn, "compat-observe: mg_write of %zu bytes returned %d", strlen(parts[i]), rc);
	}
	return 200;
}

static char large[200001];

static int
large_handler(struct mg_connection *conn, void *cbdata)
{
	size_t i;

	(void)cbdata;
	for (i = 0; i < sizeof(large) - 1; i++) {
		large[i] = (char)('a' + (i * 7 + i / 26) % 26);
	}
	large[sizeof(large) - 1] = 0;
	mg_cry(conn, "compat-observe: mg_printf returned %d",
	       mg_printf(conn, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s",
	                 sizeof(large) - 1, large));
	return 200;
}

static int
format_handler(struct mg_connection *conn, void *cbdata)
{
	char body[512];
	int len;

	(void)cbdata;
	len = snprintf(body, sizeof(body),
	               "d=%d i=%i u=%u x=%x X=%X o=%o lld=%lld c=%c s=%s pct=%% "
	               "width=[%8d] left=[%-8d] zero=[%08d] prec=[%.3s] star=[%*d] "
	               "f=%.3f e=%e g=%g\n",
	               -42, 7, 4000000000u, 0xbeef, 0xbeef, 8, -1234567890123LL, 'Z',
	               "str", 42, 42, 42, "abcdef", 6, 7, 3.14159, 12345.678, 0.0001);
	mg_printf(conn, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n", len);
	mg_printf(conn, "d=%d i=%i u=%u x=%x X=%X o=%o lld=%lld c=%c s=%s pct=%% "
	                "width=[%8d] left=[%-8d] zero=[%08d] prec=[%.3s] star=[%*d] "
	                "f=%.3f e=%e g=%g\n",
	          -42, 7, 4000000000u, 0xbeef, 0xbeef, 8, -1234567890123LL, 'Z',
	          "str", 42, 42, 42, "abcdef", 6, 7, 3.14159, 12345.678, 0.0001);
	return 200;
}

static int
http10_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.0 200 OK\r\n"
	                "Content-Type: text/plain\r\n"
	                "Content-Length: 9\r\n"
	                "\r\n"
	                "HTTP/1.0\n");
	return 200;
}

static int
reason_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 299 Quite Fine\r\n"
	                "Content-Type: text/plain\r\n"
	                "Content-Length: 4\r\n"
	                "\r\n"
	                "299\n");
	return 299;
}

static int
lowercase_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\n"
	                "content-type: text/plain\r\n"
	                "x-lower-case: yes\r\n"
	                "X-UPPER-CASE: yes\r\n"
	                "content-length: 6\r\n"
	                "\r\n"
	                "lower\n");
	return 200;
}

static int
repeated_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\n"
	                "Content-Type: text/plain\r\n"
	                "Set-Cookie: a=1\r\n"
	                "X-Multi: first\r\n"
	                "Set-Cookie: b=2; Path=/\r\n"
	                "X-Multi: second\r\n"
	                "Content-Length: 9\r\n"
	                "\r\n"
	                "repeated\n");
	return 200;
}

static int
no_content_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 204 No Content\r\nX-Empty: yes\r\n\r\n");
	return 204;
}

static int
interim_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 100 Continue\r\n\r\n");
	mg_printf(conn, "HTTP/1.1 200 OK\r\n"
	                "Content-Type: text/plain\r\n"
	                "Content-Length: 6\r\n"
	                "\r\n"
	                "final\n");
	return 200;
}

static int
body_only_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "just a body, no status line\n");
	return 200;
}

static int
overlong_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\n"
	                "Content-Type: text/plain\r\n"
	                "Content-Length: 4\r\n"
	                "\r\n"
	                "four and more\n");
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/raw/length", length_handler, NULL);
	mg_set_request_handler(ctx, "/raw/no-length", no_length_handler, NULL);
	mg_set_request_handler(ctx, "/raw/close", close_handler, NULL);
	mg_set_request_handler(ctx, "/raw/keep-alive", keep_alive_handler, NULL);
	mg_set_request_handler(ctx, "/raw/chunked", chunked_handler, NULL);
	mg_set_request_handler(ctx, "/raw/chunked-ext", chunked_ext_handler, NULL);
	mg_set_request_handler(ctx, "/raw/trailer", trailer_handler, NULL);
	mg_set_request_handler(ctx, "/raw/bytewise", bytewise_handler, NULL);
	mg_set_request_handler(ctx, "/raw/split", split_handler, NULL);
	mg_set_request_handler(ctx, "/raw/large", large_handler, NULL);
	mg_set_request_handler(ctx, "/raw/format", format_handler, NULL);
	mg_set_request_handler(ctx, "/raw/http10", http10_handler, NULL);
	mg_set_request_handler(ctx, "/raw/reason", reason_handler, NULL);
	mg_set_request_handler(ctx, "/raw/lowercase", lowercase_handler, NULL);
	mg_set_request_handler(ctx, "/raw/repeated", repeated_handler, NULL);
	mg_set_request_handler(ctx, "/raw/204", no_content_handler, NULL);
	mg_set_request_handler(ctx, "/raw/interim", interim_handler, NULL);
	mg_set_request_handler(ctx, "/raw/body-only", body_only_handler, NULL);
	mg_set_request_handler(ctx, "/raw/overlong", overlong_handler, NULL);
	return 0;
}
