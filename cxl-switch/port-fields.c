// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One port's Get Physical Port State block (0x5101) as typed fields: what
 * list-ports prints for a port, and list-devices for the port of each
 * device ("port").
 */
#include <string.h>

#include "cli.h"

/* Speeds as the JSON tree prints them (8.0, not 8): static texts. */
static const char *speed_text(unsigned int tenths)
{
	static const struct { unsigned int tenths; const char *text; } known[] = {
		{ 25, "2.5" }, { 50, "5.0" }, { 80, "8.0" }, { 160, "16.0" },
		{ 320, "32.0" }, { 640, "64.0" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (known[i].tenths == tenths)
			return known[i].text;
	return NULL;
}

/* the named bits that are set (bits the spec reserves have no name) */
static void f_bit_words(struct field *f, const char *key, size_t key_len,
			uint8_t bits, const char *(*name)(unsigned int))
{
	field_key(f, key, key_len, FIELD_WORDS);
	f->n = 0;
	for (unsigned int b = 0; b < 8; b++)
		if (bits & (1u << b) && name(b))
			f->list[f->n++] = name(b);
}

static void f_speeds(struct field *f, const char *key, size_t key_len,
		     uint8_t vector)
{
	field_key(f, key, key_len, FIELD_NUMBERS);
	f->n = 0;
	for (unsigned int b = 0; b < 8; b++)
		if (vector & (1u << b) && speed_text(cxlsw_speed_bit_tenths(b)))
			f->list[f->n++] = speed_text(cxlsw_speed_bit_tenths(b));
}

/* null for no link, the speed, or "reserved_code_N" (text: 24 bytes) */
static void f_link_speed(struct field *f, const char *key, size_t key_len,
			 uint8_t code, char *text)
{
	const char *s = speed_text(cxlsw_link_speed_tenths(code));

	f->key = key;
	f->key_len = key_len;
	/* (the reserved code's text is per row: a TEXT, not a shared word) */
	f->kind = !code ? FIELD_NULL : s ? FIELD_NUMBER : FIELD_TEXT;
	if (s) {
		f->text = s;
	} else if (code) {
		memcpy(text, "reserved_code_", 14);
		field_uint_text(code, text + 14);
		f->text = text;
	}
}

/* One port's row: the fields list-ports prints, in this order. */
size_t port_fields(const struct cxlsw_port_state *p, struct field *f,
		   char speed_text_buf[2][24])
{
	field_int(&f[PF_PORT_ID], FKEY("port_id"), p->port_id);
	field_enum(&f[PF_CONFIG_STATE], FKEY("config_state"), p->config_state,
		   cxlsw_port_config_state_name);
	field_enum(&f[PF_MODE], FKEY("connected_device_mode"),
		   p->connected_cxl_version, cxlsw_cxl_version_name);
	field_enum(&f[PF_TYPE], FKEY("connected_device_type"),
		   p->connected_device_type, cxlsw_device_type_name);
	f_bit_words(&f[PF_CXL_MODES], FKEY("supported_cxl_modes"),
		    p->cxl_versions, cxlsw_cxl_version_bit_name);
	field_int(&f[PF_MAX_WIDTH], FKEY("max_link_width"), p->max_link_width);
	field_int(&f[PF_WIDTH], FKEY("negotiated_link_width"),
		  p->negotiated_link_width);
	f_speeds(&f[PF_SPEEDS], FKEY("supported_link_speeds_gts"),
		 p->supported_speeds);
	f_link_speed(&f[PF_MAX_SPEED], FKEY("max_link_speed_gts"),
		     p->max_link_speed, speed_text_buf[0]);
	f_link_speed(&f[PF_SPEED], FKEY("current_link_speed_gts"),
		     p->current_link_speed, speed_text_buf[1]);
	field_enum(&f[PF_LTSSM], FKEY("ltssm_state"), p->ltssm_state,
		   cxlsw_ltssm_name);
	field_int(&f[PF_LANE], FKEY("first_negotiated_lane"),
		  p->first_negotiated_lane);
	field_flags(&f[PF_FLAGS], FKEY("link_state_flags"), p->link_flags,
		    cxlsw_link_flag_name);
	field_int(&f[PF_LD_COUNT], FKEY("supported_ld_count"),
		  p->supported_ld_count);
	return PORT_FIELDS;
}
