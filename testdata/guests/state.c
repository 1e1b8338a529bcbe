/* state: probes every place a request could leave something for the next
 * one, then dirties it. Each response describes what the probe found, so a
 * server that gives every request a fresh instance answers every /probe
 * identically, and one that reuses an instance does not.
 *
 *   /probe   reports and dirties initialized data, zeroed data, where a
 *            new heap block lands and what it holds, the stack below the handler's frame, the last
 *            bytes of linear memory, and the memory's size
 *   /grow    dirties everything, then grows memory by 4 MiB
 *   /trap    dirties everything, then traps
 *   /exit    dirties everything, then calls exit(3)
 *   /spin    dirties everything, then loops until the deadline stops it
 */

#include <stdlib.h>
#include <string.h>

#include "civetweb.h"

static int data_word = 0x5eed;
static int bss_word;
static char data_text[16] = "pristine";

/* sum adds up n bytes; volatile so that reading memory nothing wrote is
 * not optimized away. */
static unsigned
sum(const volatile unsigned char *p, size_t n)
{
	unsigned s = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		s = s * 31 + p[i];
	}
	return s;
}

static unsigned char *
memory_end(void)
{
	return (unsigned char *)(__builtin_wasm_memory_size(0) * 65536);
}

/* stack_sum reads (and then dirties) 1 KiB of stack below its caller. */
static __attribute__((noinline)) unsigned
stack_sum(int dirty)
{
	volatile unsigned char scratch[1024];
	unsigned s = sum(scratch, sizeof(scratch));

	if (dirty) {
		memset((unsigned char *)scratch, 0xef, sizeof(scratch));
	}
	return s;
}

/* heap_probe reports where a new 256-byte block lands and what it holds;
 * dirty leaves it allocated and filled, so that a later request on the
 * same instance gets another block. */
static void
heap_probe(int dirty, unsigned *where, unsigned *holds)
{
	unsigned char *p = malloc(256);

	*where = (unsigned)(unsigned long)p;
	*holds = p == NULL ? 0 : sum(p, 256);
	if (p != NULL && dirty) {
		memset(p, 0xab, 256);
	} else {
		free(p);
	}
}

static void
dirty_all(void)
{
	unsigned where, holds;

	data_word = 0xdead;
	bss_word = 0xbad;
	strcpy(data_text, "dirty");
	heap_probe(1, &where, &holds);
	stack_sum(1);
	memset(memory_end() - 64, 0xcd, 64);
}

static int
probe_handler(struct mg_connection *conn, void *cbdata)
{
	unsigned where, holds;

	(void)cbdata;
	heap_probe(0, &where, &holds);
	mg_printf(conn, "data=%x bss=%x text=%s heap=%x/%x stack=%x top=%x pages=%lu",
	          (unsigned)data_word, (unsigned)bss_word, data_text, where, holds, stack_sum(0),
	          sum(memory_end() - 64, 64), (unsigned long)__builtin_wasm_memory_size(0));
	dirty_all();
	return 200;
}

static int
grow_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	dirty_all();
	if (__builtin_wasm_memory_grow(0, 64) < 0) {
		mg_send_http_error(conn, 500, "memory.grow failed");
		return 500;
	}
	dirty_all();
	mg_printf(conn, "pages=%lu", (unsigned long)__builtin_wasm_memory_size(0));
	return 200;
}

static int
fail_handler(struct mg_connection *conn, void *cbdata)
{
	const char *how = mg_get_request_info(conn)->local_uri;
	volatile int forever = 1;

	(void)cbdata;
	dirty_all();
	if (!strcmp(how, "/exit")) {
		exit(3);
	}
	if (!strcmp(how, "/spin")) {
		while (forever) {
			data_word++;
		}
	}
	__builtin_trap();
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/probe", probe_handler, NULL);
	mg_set_request_handler(ctx, "/grow", grow_handler, NULL);
	mg_set_request_handler(ctx, "/trap", fail_handler, NULL);
	mg_set_request_handler(ctx, "/exit", fail_handler, NULL);
	mg_set_request_handler(ctx, "/spin", fail_handler, NULL);
	return 0;
}
