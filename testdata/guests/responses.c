/* responses: every way a CivetWeb handler answers, for the host's response
 * translator.
 *
 *   /raw/chunked       raw head + the guest's own chunk framing
 *   /raw/chunks-loop   raw chunked body written chunk by chunk, CivetWeb's
 *                      own test pattern ("1", "12", ... "123456789A")
 *   /raw/nohead        body bytes without a status line
 *   /raw/close         raw head with "Connection: close"
 *   /raw/interim       a 100 Continue head, then the real one
 *   /raw/both-lengths  Content-Length and Transfer-Encoding: chunked
 *   /raw/long          1 MiB body through mg_printf
 *   /raw/overlong      5 body bytes more than its Content-Length
 *   /raw/cut-chunk     a chunk that declares 10 bytes and carries 5
 *   /structured/chunks mg_send_http_ok(-1) + mg_send_chunk
 *   /structured/404    mg_send_http_error(404)
 *   /structured/redirect  mg_send_http_redirect(303)
 *   /empty/<rc>        writes nothing and returns rc
 *   /partial-head      an unterminated raw head
 *   /start-no-send     mg_response_header_start without _send
 *   /read-after-write  writes the head, then reads the body, then echoes it
 *   /codes             mg_response_header_* return codes, as the body
 *   /count             how many requests this instance has served
 *   /sized             "ok" with a Content-Length, without reading the body
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civetweb.h"

static const char *
tail(struct mg_connection *conn, const char *prefix)
{
	return mg_get_request_info(conn)->local_uri + strlen(prefix);
}

static int
raw_handler(struct mg_connection *conn, void *cbdata)
{
	const char *what = tail(conn, "/raw/");
	int i, j;

	(void)cbdata;
	if (!strcmp(what, "chunked")) {
		mg_printf(conn, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
		                "Content-Type: text/plain\r\n\r\n"
		                "5\r\nHello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n");
	} else if (!strcmp(what, "chunks-loop")) {
		mg_printf(conn, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
		for (i = 1; i <= 10; i++) {
			mg_printf(conn, "%x\r\n", i);
			for (j = 1; j <= i; j++) {
				mg_printf(conn, "%c", j < 10 ? '0' + j : 'A');
			}
			mg_printf(conn, "\r\n");
		}
		mg_printf(conn, "0\r\n\r\n");
	} else if (!strcmp(what, "nohead")) {
		mg_printf(conn, "just a body\n");
	} else if (!strcmp(what, "close")) {
		mg_printf(conn, "HTTP/1.1 200 OK\r\nConnection: close\r\n"
		                "Content-Length: 3\r\n\r\nbye");
	} else if (!strcmp(what, "interim")) {
		mg_printf(conn, "HTTP/1.1 100 Continue\r\n\r\n"
		                "HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\nmade");
	} else if (!strcmp(what, "overlong")) {
		mg_printf(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA");
	} else if (!strcmp(what, "both-lengths")) {
		mg_printf(conn, "HTTP/1.1 200 OK\r\nContent-Length: 999\r\n"
		                "Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");
	} else if (!strcmp(what, "cut-chunk")) {
		mg_printf(conn, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		                "a\r\nonly5");
	} else if (!strcmp(what, "long")) {
		mg_printf(conn, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", 1 << 20);
		for (i = 0; i < (1 << 20) / 64; i++) {
			mg_printf(conn, "%063d\n", i);
		}
	} else {
		return 0;
	}
	return 200;
}

static int
structured_handler(struct mg_connection *conn, void *cbdata)
{
	const char *what = tail(conn, "/structured/");

	(void)cbdata;
	if (!strcmp(what, "chunks")) {
		mg_send_http_ok(conn, "text/plain", -1);
		mg_send_chunk(conn, "one ", 4);
		mg_send_chunk(conn, "two ", 4);
		mg_send_chunk(conn, "three", 5);
		mg_send_chunk(conn, "", 0);
	} else if (!strcmp(what, "404")) {
		mg_send_http_error(conn, 404, "No %s here", "thing");
		return 404;
	} else if (!strcmp(what, "redirect")) {
		mg_send_http_redirect(conn, "/elsewhere", 303);
		return 303;
	} else {
		return 0;
	}
	return 200;
}

static int
empty_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	return atoi(tail(conn, "/empty/"));
}

static int
partial_head_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\nX-Unfinished: yes\r\n");
	return 200;
}

static int
start_no_send_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_response_header_start(conn, 200);
	mg_response_header_add(conn, "X-Forgotten", "yes", -1);
	return 200;
}

static int
read_after_write_handler(struct mg_connection *conn, void *cbdata)
{
	char buf[1024];
	int n;

	(void)cbdata;
	mg_send_http_ok(conn, "text/plain", -1);
	while ((n = mg_read(conn, buf, sizeof(buf))) > 0) {
		mg_send_chunk(conn, buf, (unsigned)n);
	}
	mg_send_chunk(conn, "", 0);
	return 200;
}

static int
codes_handler(struct mg_connection *conn, void *cbdata)
{
	char body[256];
	int add_before_start, bad_status, start, twice, bad_name, lines, send, again;

	(void)cbdata;
	add_before_start = mg_response_header_add(conn, "X-Early", "1", -1);
	bad_status = mg_response_header_start(conn, 1000);
	start = mg_response_header_start(conn, 200);
	twice = mg_response_header_start(conn, 200);
	bad_name = mg_response_header_add(conn, "Bad Name", "1", -1);
	lines = mg_response_header_add_lines(conn, "X-One: 1\r\nX-Two: 2\r\n");
	mg_response_header_add(conn, "Content-Type", "text/plain", -1);
	send = mg_response_header_send(conn);
	again = mg_response_header_send(conn);
	snprintf(body, sizeof(body), "add_before_start=%d bad_status=%d start=%d twice=%d "
	         "bad_name=%d lines=%d send=%d again=%d\n",
	         add_before_start, bad_status, start, twice, bad_name, lines, send, again);
	mg_printf(conn, "%s", body);
	return 200;
}

static int
count_handler(struct mg_connection *conn, void *cbdata)
{
	static int served;

	(void)cbdata;
	mg_printf(conn, "%d", ++served);
	return 200;
}

static int
sized_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
	return 200;
}

/* Reads the whole body in 1 KiB pieces and reports how much it got; on a
 * read error it answers 400 as a careful CivetWeb handler would (the host
 * has answered already if the error was the body limit). */
static int
readall_handler(struct mg_connection *conn, void *cbdata)
{
	char buf[1024];
	long long total = 0;
	int n;

	(void)cbdata;
	while ((n = mg_read(conn, buf, sizeof(buf))) > 0) {
		total += n;
	}
	if (n < 0) {
		mg_send_http_error(conn, 400, "read failed after %lld bytes", total);
		return 400;
	}
	mg_printf(conn, "read %lld bytes", total);
	return 200;
}

/* Writes 256 MiB, more than any socket buffers, and reports how the writes
 * ended with mg_cry: a client that does not read must not hold it forever. */
static int
flood_handler(struct mg_connection *conn, void *cbdata)
{
	static char chunk[65536];
	int i, rc = 0;

	(void)cbdata;
	mg_send_http_ok(conn, "application/octet-stream", 4096LL * sizeof(chunk));
	for (i = 0; i < 4096 && rc >= 0; i++) {
		rc = mg_write(conn, chunk, sizeof(chunk));
	}
	mg_cry(conn, "flood: stopped after %d writes, last result %d", i, rc);
	return 200;
}

/* printf-scan prints the tails of one text as formats, from every offset
 * across three 16-byte blocks: the SDK finds whether a format is literal
 * a block at a time, so this crosses every alignment and a '%' or the end
 * in every position of a block. */
static int
printf_scan_handler(struct mg_connection *conn, void *cbdata)
{
	static const char text[] = "0123456789abcdefghijklmnopqrstuv%%wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	const char *fmt;
	size_t off;

	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
	for (off = 0; off < sizeof(text); off++) {
		if (off > 0 && text[off - 1] == '%' && text[off] == '%') {
			continue; /* "%w..." would be no conversion at all */
		}
		fmt = text + off; /* not a literal: the scan runs in the guest */
		mg_printf(conn, fmt);
		mg_printf(conn, "|");
	}
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/raw", raw_handler, NULL);
	mg_set_request_handler(ctx, "/printf-scan", printf_scan_handler, NULL);
	mg_set_request_handler(ctx, "/structured", structured_handler, NULL);
	mg_set_request_handler(ctx, "/empty", empty_handler, NULL);
	mg_set_request_handler(ctx, "/partial-head", partial_head_handler, NULL);
	mg_set_request_handler(ctx, "/start-no-send", start_no_send_handler, NULL);
	mg_set_request_handler(ctx, "/read-after-write", read_after_write_handler, NULL);
	mg_set_request_handler(ctx, "/codes", codes_handler, NULL);
	mg_set_request_handler(ctx, "/count", count_handler, NULL);
	mg_set_request_handler(ctx, "/sized", sized_handler, NULL);
	mg_set_request_handler(ctx, "/readall", readall_handler, NULL);
	mg_set_request_handler(ctx, "/flood", flood_handler, NULL);
	return 0;
}
