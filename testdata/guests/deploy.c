/* deploy: a module deployed in versions, for the admin API tests in
 * deploy/admin. deploy_v2.c builds the same routes as version "v2".
 *
 *   /version     200 with the version, e.g. "v1"
 *   /slow?<n>    n million loop iterations, then 200 "<version> after
 *                a slow request", to hold a request across a deploy
 */

#include <stdlib.h>
#include <string.h>

#include "civetweb.h"

#ifndef DEPLOY_VERSION
#define DEPLOY_VERSION "v1"
#endif

static int
answer(struct mg_connection *conn, const char *body)
{
	mg_send_http_ok(conn, "text/plain", (long long)strlen(body));
	mg_write(conn, body, strlen(body));
	return 200;
}

static int
version_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	return answer(conn, DEPLOY_VERSION);
}

static int
slow_handler(struct mg_connection *conn, void *cbdata)
{
	const char *q = mg_get_request_info(conn)->query_string;
	volatile unsigned spins = 0;
	long long n = q ? atoll(q) * 1000000LL : 0;

	(void)cbdata;
	for (long long i = 0; i < n; i++) {
		spins++;
	}
	return answer(conn, DEPLOY_VERSION " after a slow request");
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/version", version_handler, NULL);
	mg_set_request_handler(ctx, "/slow", slow_handler, NULL);
	return 0;
}
