/* headers: the structured response API, mg_response_header_start, _add,
 * _add_lines and _send, and their return codes.
 *
 *   /headers/codes       calls the API in and out of order; the chunked body
 *                        lists every return code
 *   /headers/many        65 mg_response_header_add calls (the last one over
 *                        MG_MAX_HEADERS)
 *   /headers/many-lines  mg_response_header_add_lines with 70 lines
 *   /headers/status/<n>  mg_response_header_start(conn, n) with
 *                        Content-Length 0 (none for 1xx, 204 and 304)
 *   /headers/length      a Content-Length header and a body
 *   /headers/close       a "Connection: close" header
 *
 * Return codes that cannot go into the response (it is out already) are
 * reported with mg_cry ("compat-observe: ..."), which the suite compares
 * too.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civetweb.h"

struct text {
	char buf[4096];
	size_t len;
};

static void
record(struct text *t, const char *what, int rc)
{
	int n = snprintf(t->buf + t->len, sizeof(t->buf) - t->len, "%s: %d\n", what, rc);
	if (n > 0 && t->len + (size_t)n < sizeof(t->buf)) {
		t->len += (size_t)n;
	}
}

static int
codes_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	const char *null_name = NULL;

	(void)cbdata;
	t.len = 0;
	record(&t, "add before start", mg_response_header_add(conn, "X-Early", "1", -1));
	record(&t, "send before start", mg_response_header_send(conn));
	record(&t, "start 99", mg_response_header_start(conn, 99));
	record(&t, "start 1000", mg_response_header_start(conn, 1000));
	record(&t, "start 200", mg_response_header_start(conn, 200));
	record(&t, "start 201 again", mg_response_header_start(conn, 201));
	record(&t, "add X-A", mg_response_header_add(conn, "X-A", "1", -1));
	record(&t, "add X-Len with value_len 3", mg_response_header_add(conn, "X-Len", "abcdef", 3));
	record(&t, "add X-Empty", mg_response_header_add(conn, "X-Empty", "", -1));
	record(&t, "add NULL name", mg_response_header_add(conn, null_name, "v", -1));
	record(&t, "add NULL value", mg_response_header_add(conn, "X-Null", NULL, -1));
	record(&t, "add_lines two CRLF lines",
	       mg_response_header_add_lines(conn, "X-B: 2\r\nX-C: 3\r\n"));
	record(&t, "add_lines LF lines, no final newline",
	       mg_response_header_add_lines(conn, "X-D:4\nX-E:   5"));
	record(&t, "add_lines space before colon",
	       mg_response_header_add_lines(conn, "X-F : 6\r\n"));
	record(&t, "add_lines not a header", mg_response_header_add_lines(conn, "not a header line\r\n"));
	record(&t, "add_lines empty", mg_response_header_add_lines(conn, ""));
	record(&t, "add Content-Type", mg_response_header_add(conn, "Content-Type", "text/plain", -1));
	record(&t, "add Transfer-Encoding", mg_response_header_add(conn, "Transfer-Encoding", "chunked", -1));
	record(&t, "send", mg_response_header_send(conn));
	record(&t, "send again", mg_response_header_send(conn));
	record(&t, "add after send", mg_response_header_add(conn, "X-Late", "1", -1));
	record(&t, "add_lines after send", mg_response_header_add_lines(conn, "X-Late: 1\r\n"));
	record(&t, "start after send", mg_response_header_start(conn, 200));
	mg_send_chunk(conn, t.buf, (unsigned)t.len);
	mg_send_chunk(conn, "", 0);
	return 200;
}

static int
many_handler(struct mg_connection *conn, void *cbdata)
{
	char name[32], body[128];
	int i, rc = 0, rc2, failed_at = 0, len;

	(void)cbdata;
	mg_response_header_start(conn, 200);
	for (i = 1; i <= 65; i++) {
		snprintf(name, sizeof(name), "X-Header-%02d", i);
		rc = mg_response_header_add(conn, name, name + 2, -1);
		if (rc != 0 && failed_at == 0) {
			failed_at = i;
			break;
		}
	}
	rc2 = mg_response_header_send(conn);
	len = snprintf(body, sizeof(body), "header %d refused with %d\n", failed_at, rc);
	mg_cry(conn, "compat-observe: send %d, mg_write %d", rc2, mg_write(conn, body, (size_t)len));
	return 200;
}

static int
many_lines_handler(struct mg_connection *conn, void *cbdata)
{
	char lines[4096], body[128];
	size_t used = 0;
	int i, rc, len;

	(void)cbdata;
	for (i = 1; i <= 70; i++) {
		used += (size_t)snprintf(lines + used, sizeof(lines) - used, "X-Line-%02d: %d\r\n", i, i);
	}
	mg_response_header_start(conn, 200);
	rc = mg_response_header_add_lines(conn, lines);
	mg_response_header_send(conn);
	len = snprintf(body, sizeof(body), "mg_response_header_add_lines with 70 lines returned %d\n", rc);
	mg_write(conn, body, (size_t)len);
	return 200;
}

static int
status_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	int status = atoi(ri->local_uri + strlen("/headers/status/"));
	int start, add, length = 0, send;

	(void)cbdata;
	start = mg_response_header_start(conn, status);
	add = mg_response_header_add(conn, "X-Status", ri->local_uri + strlen("/headers/status/"), -1);
	if (status >= 200 && status != 204 && status != 304) {
		length = mg_response_header_add(conn, "Content-Length", "0", -1);
	}
	send = mg_response_header_send(conn);
	mg_cry(conn, "compat-observe: start %d, add %d, add Content-Length %d, send %d", start, add, length, send);
	return status;
}

static int
length_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_response_header_start(conn, 200);
	mg_response_header_add(conn, "Content-Type", "text/plain", -1);
	mg_response_header_add(conn, "Content-Length", "7", -1);
	mg_response_header_send(conn);
	mg_cry(conn, "compat-observe: mg_write returned %d", mg_write(conn, "length\n", 7));
	return 200;
}

static int
close_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_response_header_start(conn, 200);
	mg_response_header_add(conn, "Content-Length", "6", -1);
	mg_response_header_add(conn, "Connection", "close", -1);
	mg_response_header_send(conn);
	mg_write(conn, "close\n", 6);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/headers/codes", codes_handler, NULL);
	mg_set_request_handler(ctx, "/headers/many", many_handler, NULL);
	mg_set_request_handler(ctx, "/headers/many-lines", many_lines_handler, NULL);
	mg_set_request_handler(ctx, "/headers/status", status_handler, NULL);
	mg_set_request_handler(ctx, "/headers/length", length_handler, NULL);
	mg_set_request_handler(ctx, "/headers/close", close_handler, NULL);
	return 0;
}
