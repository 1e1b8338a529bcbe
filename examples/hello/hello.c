/* hello: the smallest CivetWeb handler. It writes a raw HTTP/1.1 response
 * with mg_printf, exactly as it would under CivetWeb; the host parses the
 * head and re-frames the body for the client's protocol. */

#include "civetweb.h"

static int
hello_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn,
	          "HTTP/1.1 200 OK\r\n"
	          "Content-Type: text/plain\r\n"
	          "Content-Length: 14\r\n"
	          "\r\n");
	mg_printf(conn, "Hello, world!\n");
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/hello", hello_handler, NULL);
	return 0;
}
