/* read: mg_read in pieces.
 *
 *   /read/1, /read/7, /read/4096, /read/65536
 *       read the whole body with mg_read in pieces of that many bytes (the
 *       route's cbdata) and answer with its length and FNV-1a checksum, not
 *       the body, so a 10 MiB upload gets a short, comparable answer. Also
 *       reported: what a zero-length read returns, whether any read returned
 *       more than asked, and what mg_read returns once the body is over.
 *   /read/echo
 *       sends the body back: with its Content-Length when the request has
 *       one, else chunked with mg_send_chunk.
 *   /read/once
 *       one mg_read into a 64 KiB buffer: CivetWeb's mg_read waits until
 *       the buffer is full or the body is over.
 *   /read/partial
 *       reads only the first 10 bytes and answers; the server must skip the
 *       rest of the body before the next request on the connection.
 */

#include <stdio.h>
#include <string.h>

#include "civetweb.h"

static char buf[65536];

static const size_t piece_1 = 1, piece_7 = 7, piece_4096 = 4096, piece_65536 = 65536;

static int
pieces_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	size_t piece = *(const size_t *)cbdata;
	unsigned long long total = 0;
	unsigned int hash = 2166136261u;
	int n, zero, end, again, too_much = 0, i;
	char out[512];
	int len;

	zero = mg_read(conn, buf, 0);
	while ((n = mg_read(conn, buf, piece)) > 0) {
		if ((size_t)n > piece) {
			too_much = 1;
			break;
		}
		for (i = 0; i < n; i++) {
			hash = (hash ^ (unsigned char)buf[i]) * 16777619u;
		}
		total += (unsigned long long)n;
	}
	end = n;
	again = mg_read(conn, buf, piece);
	len = snprintf(out, sizeof(out),
	               "method %s\n"
	               "piece %zu\n"
	               "content_length %lld\n"
	               "zero-length read returned %d\n"
	               "bytes %llu\n"
	               "fnv1a %08x\n"
	               "read more than asked %s\n"
	               "end of body returned %d, then %d\n",
	               ri->request_method, piece, ri->content_length, zero, total,
	               hash, too_much ? "yes" : "no", end, again);
	mg_send_http_ok(conn, "text/plain", len);
	mg_write(conn, out, (size_t)len);
	return 200;
}

static int
echo_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	long long length = ri->content_length;
	int n;

	(void)cbdata;
	mg_send_http_ok(conn, "application/octet-stream", length);
	while ((n = mg_read(conn, buf, 4096)) > 0) {
		if (length >= 0) {
			mg_write(conn, buf, (size_t)n);
		} else {
			mg_send_chunk(conn, buf, (unsigned)n);
		}
	}
	if (length < 0) {
		mg_send_chunk(conn, "", 0);
	}
	return 200;
}

static int
once_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	long long want = ri->content_length;
	char out[256];
	int n, len;

	(void)cbdata;
	if (want < 0 || want > (long long)sizeof(buf)) {
		want = (long long)sizeof(buf);
	}
	n = mg_read(conn, buf, sizeof(buf));
	len = snprintf(out, sizeof(out),
	               "content_length %lld\n"
	               "one mg_read of %zu bytes filled what the body holds: %s\n",
	               ri->content_length, sizeof(buf),
	               (long long)n == want ? "yes" : "no");
	mg_send_http_ok(conn, "text/plain", len);
	mg_write(conn, out, (size_t)len);
	return 200;
}

static int
partial_handler(struct mg_connection *conn, void *cbdata)
{
	char out[128];
	int n, len;

	(void)cbdata;
	n = mg_read(conn, buf, 10);
	len = snprintf(out, sizeof(out), "read %d: %.*s\n", n, n > 0 ? n : 0, buf);
	mg_send_http_ok(conn, "text/plain", len);
	mg_write(conn, out, (size_t)len);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/read/1", pieces_handler, (void *)&piece_1);
	mg_set_request_handler(ctx, "/read/7", pieces_handler, (void *)&piece_7);
	mg_set_request_handler(ctx, "/read/4096", pieces_handler, (void *)&piece_4096);
	mg_set_request_handler(ctx, "/read/65536", pieces_handler, (void *)&piece_65536);
	mg_set_request_handler(ctx, "/read/echo", echo_handler, NULL);
	mg_set_request_handler(ctx, "/read/once", once_handler, NULL);
	mg_set_request_handler(ctx, "/read/partial", partial_handler, NULL);
	return 0;
}
