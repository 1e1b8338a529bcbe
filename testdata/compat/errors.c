/* errors: mg_send_http_error, CivetWeb's error page.
 *
 *   /error/<code>  mg_send_http_error(conn, code, fmt, ...) for the code in
 *                  the path, with a message formatted from the request
 *   /error/long    a 10000-byte message (CivetWeb formats into 8 KiB)
 *   /error/empty   an empty message
 *
 * What mg_send_http_error returned is reported with mg_cry
 * ("compat-observe: ..."), which the suite compares too.
 */

#include <stdlib.h>
#include <string.h>

#include "civetweb.h"

static int
code_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *code = ri->local_uri + strlen("/error/");
	int status = atoi(code);

	int rc;

	(void)cbdata;
	rc = mg_send_http_error(conn, status, "custom message %d for %s %s", status,
	                        ri->request_method, ri->local_uri);
	mg_cry(conn, "compat-observe: mg_send_http_error(%d) returned %d", status, rc);
	return status;
}

static char long_message[10001];

static int
long_handler(struct mg_connection *conn, void *cbdata)
{
	size_t i;

	(void)cbdata;
	for (i = 0; i < sizeof(long_message) - 1; i++) {
		long_message[i] = (char)('A' + i % 26);
	}
	mg_cry(conn, "compat-observe: mg_send_http_error returned %d",
	       mg_send_http_error(conn, 500, "%s", long_message));
	return 500;
}

static int
empty_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_http_error(conn, 403, "%s", "");
	return 403;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/error/long", long_handler, NULL);
	mg_set_request_handler(ctx, "/error/empty", empty_handler, NULL);
	mg_set_request_handler(ctx, "/error", code_handler, NULL);
	return 0;
}
