/* retval: what the server does with a handler's return value.
 *
 *   /ret/sent/<n>    sends a complete response, then returns n
 *   /ret/silent/<n>  sends nothing and returns n
 *
 * CivetWeb: a value > 0 means handled (it is logged as the status); 0 or
 * less means not handled, and CivetWeb goes on as if no route matched (no
 * document_root: its 404 page).
 */

#include <stdlib.h>
#include <string.h>

#include "civetweb.h"

static int
sent_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);

	(void)cbdata;
	mg_send_http_ok(conn, "text/plain", 5);
	mg_write(conn, "sent\n", 5);
	return atoi(ri->local_uri + strlen("/ret/sent/"));
}

static int
silent_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);

	(void)cbdata;
	return atoi(ri->local_uri + strlen("/ret/silent/"));
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/ret/sent", sent_handler, NULL);
	mg_set_request_handler(ctx, "/ret/silent", silent_handler, NULL);
	return 0;
}
