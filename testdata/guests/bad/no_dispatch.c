/* no_dispatch: a civetbox module without civetbox_abi_dispatch. */
__asm__(".section .custom_section.civetbox_abi,\"\",@\n"
        ".int8 1\n.int8 0\n.int8 0\n.int8 0\n.text\n");

__attribute__((export_name("civetbox_abi_init"))) int init(void) { return 0; }
