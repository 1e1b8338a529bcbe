/* conndata: per-connection data and the context.
 *
 *   /conn   reports the connection data at the start (the value a previous
 *           request on the connection left, if any), sets it to a static
 *           marker and reads it back through mg_get_user_connection_data,
 *           through the mg_request_info fetched before the set, and through
 *           a fresh mg_get_request_info; also the context and its user data
 */

#include <stdio.h>
#include <string.h>

#include "civetweb.h"

static int marker;

static const char *
describe(const void *p)
{
	if (p == NULL) {
		return "NULL";
	}
	return p == &marker ? "the marker" : "something else";
}

static int
conn_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *before = mg_get_request_info(conn);
	const void *at_start = mg_get_user_connection_data(conn);
	const void *info_at_start = before->conn_data;
	struct mg_context *ctx = mg_get_context(conn);
	char body[1024];
	int len;

	(void)cbdata;
	mg_set_user_connection_data(conn, &marker);
	len = snprintf(body, sizeof(body),
	               "at start: mg_get_user_connection_data %s, conn_data %s\n"
	               "after set: mg_get_user_connection_data %s\n"
	               "after set: conn_data of the info fetched before %s\n"
	               "after set: conn_data of a fresh mg_get_request_info %s\n"
	               "mg_get_context %s, mg_get_user_data %s, user_data %s\n",
	               describe(at_start), describe(info_at_start),
	               describe(mg_get_user_connection_data(conn)),
	               describe(before->conn_data),
	               describe(mg_get_request_info(conn)->conn_data),
	               ctx ? "set" : "NULL", describe(mg_get_user_data(ctx)),
	               describe(mg_get_request_info(conn)->user_data));
	mg_send_http_ok(conn, "text/plain", len);
	mg_write(conn, body, (size_t)len);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/conn", conn_handler, NULL);
	return 0;
}
