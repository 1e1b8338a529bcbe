/* cry: mg_cry writes to the server's log; it must not change the
 * response.
 *
 *   /cry   logs a short message, a formatted one, a 3000-byte one and one
 *          with control characters, between the parts of a normal
 *          response. The messages start with "compat-observe: ", so the
 *          suite compares them as logged by both servers.
 */

#include <string.h>

#include "civetweb.h"

static char long_message[3000];

static int
cry_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	memset(long_message, 'x', sizeof(long_message) - 1);
	mg_cry(conn, "compat-observe: short");
	mg_send_http_ok(conn, "text/plain", 12);
	mg_cry(conn, "compat-observe: %s %d %s", "formatted", 42, mg_get_request_info(conn)->request_method);
	mg_write(conn, "cried ", 6);
	mg_cry(conn, "compat-observe: long %s", long_message);
	mg_cry(conn, "compat-observe: control \r\n\t\x01 characters");
	mg_write(conn, "twice\n", 6);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/cry", cry_handler, NULL);
	return 0;
}
