# "0x1b36" -> 6966: the topology files write codes and IDs in hex, the
# tool's JSON gives them as numbers (cxl-switch(1), JSON OUTPUT).
def hex:
	if type == "string" then
		ltrimstr("0x") | ascii_downcase | explode |
		reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end))
	else . end;

# Every code, ID and address of a topology file's value, as the tool's
# JSON gives it: "0x..." of up to 16 hex digits becomes its number; a
# serial number (16 digits, a 64-bit identifier) stays a string.
def hexids:
	walk(if type == "string" and test("^0x[0-9a-fA-F]{1,15}$") then hex else . end);
