/* routes: one handler per route; each answers with the name it was
 * registered with (its cbdata), so a test can see which route CivetWeb's
 * selection rules picked. Registration order matters and is part of the test.
 */

#include <string.h>

#include "civetweb.h"

static int
named_handler(struct mg_connection *conn, void *cbdata)
{
	const char *name = cbdata;

	if (!strcmp(name, "decline")) {
		return 0;
	}
	mg_send_http_ok(conn, "text/plain", (long long)strlen(name));
	mg_write(conn, name, strlen(name));
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/a", named_handler, "a");
	mg_set_request_handler(ctx, "/a/b", named_handler, "a/b");
	mg_set_request_handler(ctx, "/files/*.txt$", named_handler, "txt");
	mg_set_request_handler(ctx, "**.png$", named_handler, "png");
	mg_set_request_handler(ctx, "/x?z", named_handler, "x?z");
	mg_set_request_handler(ctx, "/one|/two", named_handler, "one|two");
	mg_set_request_handler(ctx, "/decline", named_handler, "decline");
	mg_set_request_handler(ctx, "/gone", named_handler, "gone");
	mg_set_request_handler(ctx, "/gone", NULL, NULL);
	mg_set_request_handler(ctx, "/replaced", named_handler, "old");
	mg_set_request_handler(ctx, "/replaced", named_handler, "new");
	return 0;
}
