/* routes: CivetWeb's route selection. Every route answers with the name it
 * was registered with (its cbdata) and the local_uri it saw, so the
 * answer shows which route was picked. Registration order matters: routes
 * are tried in order, first for an exact match, then for a "uri/" prefix,
 * then as patterns.
 */

#include <stdio.h>
#include <string.h>

#include "civetweb.h"

static int
named_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *name = cbdata;
	char body[1024];
	int len;

	if (strncmp(name, "decline", 7) == 0) {
		return 0; /* not handled */
	}
	len = snprintf(body, sizeof(body), "route %s for %s\n", name, ri->local_uri);
	mg_send_http_ok(conn, "text/plain", len);
	mg_write(conn, body, (size_t)len);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	/* exact and prefix */
	mg_set_request_handler(ctx, "/a", named_handler, "a");
	mg_set_request_handler(ctx, "/a/b", named_handler, "a/b");
	mg_set_request_handler(ctx, "/Case", named_handler, "Case");
	/* patterns */
	mg_set_request_handler(ctx, "/files/*.txt$", named_handler, "*.txt$");
	mg_set_request_handler(ctx, "**.png$", named_handler, "**.png$");
	mg_set_request_handler(ctx, "/x?z", named_handler, "x?z");
	mg_set_request_handler(ctx, "/one|/two$", named_handler, "one|two$");
	mg_set_request_handler(ctx, "/deep/**/leaf$", named_handler, "deep/**/leaf$");
	mg_set_request_handler(ctx, "/star/*/end", named_handler, "star/*/end");
	mg_set_request_handler(ctx, "/end$", named_handler, "end$");
	/* order: the exact route registered later still wins over the
	 * earlier pattern, and the earlier of two patterns wins */
	mg_set_request_handler(ctx, "/order/**", named_handler, "order/** first");
	mg_set_request_handler(ctx, "/order/exact", named_handler, "order/exact");
	mg_set_request_handler(ctx, "/order/*$", named_handler, "order/*$ second");
	/* a declining handler: CivetWeb goes on as if no route matched */
	mg_set_request_handler(ctx, "/decline", named_handler, "decline");
	/* removed and replaced routes */
	mg_set_request_handler(ctx, "/gone", named_handler, "gone");
	mg_set_request_handler(ctx, "/gone", NULL, NULL);
	mg_set_request_handler(ctx, "/replaced", named_handler, "old");
	mg_set_request_handler(ctx, "/replaced/more", named_handler, "replaced/more");
	mg_set_request_handler(ctx, "/replaced", named_handler, "new");
	mg_set_request_handler(ctx, "/never", NULL, NULL);
	return 0;
}
