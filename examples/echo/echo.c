/* echo: sends the request body back. The body is read with mg_read in small
 * pieces and written as it arrives, so any size streams through a fixed
 * buffer. A body of known length is answered with that Content-Length; a
 * chunked request body (length unknown) with a chunked response. */

#include "civetweb.h"

static int
echo_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	long long length = ri->content_length;
	char buf[4096];
	int n;

	(void)cbdata;
	mg_send_http_ok(conn, "application/octet-stream", length);
	while ((n = mg_read(conn, buf, sizeof(buf))) > 0) {
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

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/echo", echo_handler, NULL);
	return 0;
}
