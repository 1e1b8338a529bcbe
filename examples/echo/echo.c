/* echo: sends the request body back. The body is read with mg_read in
 * 32 KiB pieces and written as it arrives, so any size streams through a
 * fixed buffer (as large as the one Go's io.Copy uses: each piece is one
 * host call each way and, for a large body, about one socket write). A body of known length is answered with that Content-Length; a
 * chunked request body (length unknown) with a chunked response. */

#include "civetweb.h"

static int
echo_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	long long length = ri->content_length;
	/* Static, not on the stack: the wasm stack is 64 KiB in all. An
	 * instance serves one request at a time, and CivetWeb's handler
	 * threads would each need their own buffer, so the native build
	 * keeps it per thread. */
	static _Thread_local char buf[32 << 10];
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
