/* bad_signature: imports civetbox.mg_read with the wrong wasm signature. */
__asm__(".section .custom_section.civetbox_abi,\"\",@\n"
        ".int8 1\n.int8 0\n.int8 0\n.int8 0\n.text\n");

__attribute__((import_module("civetbox"), import_name("mg_read"))) int bad_read(int len);

__attribute__((export_name("civetbox_abi_init"))) int init(void) { return 0; }
__attribute__((export_name("civetbox_abi_dispatch"))) int dispatch(int h, int d) { return bad_read(h + d); }
