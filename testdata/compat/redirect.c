/* redirect: mg_send_http_redirect.
 *
 *   /redirect/<code>[?target]
 *       redirects with the code in the path to the raw query string as the
 *       target; without a query the target is NULL, with an empty one "".
 *       A code mg_send_http_redirect refuses is reported in a 200 body with
 *       the value it returned. After a redirect the value is reported with
 *       mg_cry ("compat-observe: ..."), which the suite compares too.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civetweb.h"

static int
redirect_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	int code = atoi(ri->local_uri + strlen("/redirect/"));
	char body[256];
	int rc, len;

	(void)cbdata;
	rc = mg_send_http_redirect(conn, ri->query_string, code);
	if (rc >= 0) {
		mg_cry(conn, "compat-observe: mg_send_http_redirect(%d) returned %d", code, rc);
		return code != 0 ? code : 307; /* 0 would mean "not handled" */
	}
	len = snprintf(body, sizeof(body), "mg_send_http_redirect(%d) returned %d\n", code, rc);
	mg_send_http_ok(conn, "text/plain", len);
	mg_write(conn, body, (size_t)len);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/redirect", redirect_handler, NULL);
	return 0;
}
