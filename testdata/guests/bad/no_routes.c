/* no_routes: civetbox_init succeeds but registers no handler. */
#include "civetweb.h"

int
civetbox_init(struct mg_context *ctx)
{
	(void)ctx;
	return 0;
}
