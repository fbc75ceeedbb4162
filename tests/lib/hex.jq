# "0x1b36" -> 6966: the topology files write codes and IDs in hex, the
# tool's JSON gives them as numbers (cxl-switch(1), JSON OUTPUT).
def hex:
	if type == "string" then
		ltrimstr("0x") | ascii_downcase | explode |
		reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end))
	else . end;
