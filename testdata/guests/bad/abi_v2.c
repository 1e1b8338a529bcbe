/* abi_v2: claims civetbox ABI version 2; the host must refuse it by name. */
__asm__(".section .custom_section.civetbox_abi,\"\",@\n"
        ".int8 2\n.int8 0\n.int8 0\n.int8 0\n.text\n");

__attribute__((export_name("civetbox_abi_init"))) int init(void) { return 0; }
__attribute__((export_name("civetbox_abi_dispatch"))) int dispatch(int h, int d) { return h + d; }
