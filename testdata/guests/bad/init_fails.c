/* init_fails: civetbox_init reports failure; the module must not load. */
#include "civetweb.h"

int
civetbox_init(struct mg_context *ctx)
{
	(void)ctx;
	mg_cry(NULL, "init_fails: refusing to start");
	return 7;
}
