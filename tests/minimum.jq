# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The fewest requests a read-only command can send, derived from a topology
# file (the switch as the emulator builds it) and the switch's response
# message limit, from the payload sizes in the spec (CXL r3.1 section 7.6.7
# and 8.2.9; /work/shared/reference/cxl-cci.md), not from the tool's code.
#
#   jq -n --slurpfile t TOPOLOGY.json --argjson limit 256 --arg cmd list-ports \
#      [--argjson port P] [--argjson cel BYTES] [--slurpfile file FABRIC] \
#      -f tests/minimum.jq
#
# $limit: the switch's response message limit in bytes (--msg-limit, or the
# file's max_msg_size); $port: the device port of per-port commands; $cel:
# the size of the switch's Command Effects Log (Get Supported Logs says it);
# $ARGS.named.file: the desired-state file of plan and reread (apply's
# reads before its plan and after it), --argjson or --slurpfile.
#
# Rules every formula follows:
# - An answer may not exceed the responder's limit, and every CCI takes at
#   least 2^8 = 256 bytes (Identify's smallest max_msg_size), so a client
#   that has not asked can always page at 256. Asking the limit (Get
#   Response Message Limit) is one request, learned once per run: it pays
#   only when some answer of the run does not fit one 256-byte page.
# - A tunnelled answer also has to fit the switch's answer around it: the
#   Tunnel Management answer adds 4 bytes and the inner CCI header 12, so a
#   device's answers get min(device limit, switch limit - 16). A device's
#   own limit is worth asking only when an answer would otherwise take
#   more than two pages (with two, asking costs what it saves); an LD
#   allocation answer is at most 4 + 16 x 16 = 260 bytes, an empty extent
#   list 24, so with these topologies a device is never asked its limit.
# - Paged commands count in a byte: at most 255 entries a request.

def cdiv(a; b): (a + b - 1) / b | floor;
def per(l; hdr; entry): [((l - hdr) / entry | floor), 255] | min;
# requests to read count entries of entry bytes, hdr bytes a page
def pages(l; hdr; entry; count):
	if count <= 0 then 1 else cdiv(count; per(l; hdr; entry)) end;

$t[0] as $top
| 256 as $sure
| ($top.ports | length) as $nports

# Identify Switch Device: 73 bytes, one request. Its port count is a byte
# (the emulator reports min(ports, 255)); the tool asks the ids below it
# and those the active-port bitmap names (disabled ports are not active).
| ([range([$nports, 255] | min)] + [$top.ports[] | select(.config_state != "disabled") | .port_id]
   | unique | length) as $asked_ports
| ([range([($top.vcss | length), 255] | min)] + [$top.vcss[] | select(.state == "enabled") | .vcs_id]
   | unique) as $vcs_ids
| [$top.vcss[] | select(.vcs_id as $i | $vcs_ids | index($i)) | .vppbs | length] as $vppbs

# Get Physical Port State: 4-byte header, a 16-byte block per port.
| def port_pages(l): pages(l; 4; 16; $asked_ports);
# Get Virtual CXL Switch Info: 4-byte header, per VCS a 4-byte block and
# 4 bytes per vPPB. A VCS split over k answers repeats its 4-byte block k
#  times, and each answer holds at most (l - 8) / 4 entries of one VCS.
  def vcs_pages(l):
	if 4 + ([$vppbs[] | 4 + 4 * .] | add // 0) <= l then 1
	else ([$vppbs[] | [1, cdiv(.; [((l - 8) / 4 | floor), 255] | min)] | max] ) as $k
	| cdiv(([range($vppbs | length) | 4 * $k[.] + 4 * $vppbs[.]] | add); l - 4)
	end;
  def pages_at(l): if . == "ports" then port_pages(l)
	elif . == "vcs" then vcs_pages(l)
	elif . == "cel" then pages(l; 0; 4; ($cel / 4))
	else 1 end;
# The switch's answers of a run, paged at 256 (not asking) or at $limit
# after one Get Response Message Limit: 0x5100, then the paged reads.
  def switch_reads(reads):
	if all(reads[]; (. | pages_at($sure)) <= 1) then [reads[] | pages_at($sure)] | add
	else 1 + ([reads[] | pages_at($limit)] | add) end;
# what the switch is sure to carry to a device once the run has (or has
# not) learned its limit
  def room(learned): [$sure, (if learned then $limit else $sure end) - 16] | min;
  def learned(reads): any(reads[]; (. | pages_at($sure)) > 1);
  def reachable: .device != null and .ltssm_state == "l0";
  def type3: .connected_device_type == "cxl_type3_sld" or .connected_device_type == "cxl_type3_mld";
# Get LD Allocations: 4-byte header, 16 bytes per LD.
  def ld_pages(r): pages(r; 4; 16; (.device.mld.lds | length));
# Get DC Region Extent Lists: 24-byte header, 40 bytes per extent; the
# first page (which gives the total) at r.
  def extent_pages(r): [.device.dcd.hosts[] | pages(r; 24; 40; (.extents | length))] | add;
# A device behind port p as list-devices shows it: Identify (0x0001),
# Identify Memory Device (0x4000), an MLD's Get LD Info (0x5400). One
# attempt (its Identify) for a device that does not answer.
  def device_listing: if reachable then 2 + (if .device.mld then 1 else 0 end) else 1 end;
# topology adds an MLD's allocations, and Get DCD Info (0x5600, which a
# device without dynamic capacity answers Unsupported: asking is the only
# way to know) and each host's extents.
  def device_topology(r):
	if reachable then
		3 + (if .device.mld then 1 + ld_pages(r) else 0 end)
		  + (if .device.dcd then extent_pages(r) else 0 end)
	else 1 end;
  def the_port: $top.ports[] | select(.port_id == $port);
# export (a desired-state file): what can be changed, not who a device
# is: Get DCD Info of every device (Unsupported where it has none), an
# MLD's LD Info, allocations, QoS control and its two bandwidth lists
# (2 bytes and one per LD), a DCD's regions (the same for every host:
# Get Host DC Region Configuration, 4-byte header, 40 bytes per region
# and a 16-byte tail, asked for host 0) and every host's extents.
  def device_export(r):
	if reachable then
		1 + (if .device.mld then 2 + ld_pages(r) + 2 * pages(r; 2; 1; (.device.mld.lds | length)) else 0 end)
		  + (if .device.dcd then
			pages(r; 20; 40; (.device.dcd.regions | length))
			+ extent_pages(r)
		    else 0 end)
	else 1 end;

# doctor, through one tunnel to each Type 3 device whose link is up (a
# link down carries nothing; L1 and L2 still answer): the device's own
# limit (its event records need it, as the switch's do), an MLD's
# allocations at what both levels take (the device's limit, the switch's
# less the tunnel's 16 bytes; 1024 where the file says none), one page of
# each of its five event logs. A device that does not answer: one attempt.
  def link_up: .ltssm_state as $s
	| ["detect", "polling", "configuration", "disabled"] | index($s) == null;
  def device_doctor:
	if .device == null then 1
	else 1 + 5 + (if .device.mld
		then ld_pages([(.device.max_msg_size // 1024), $limit - 16] | min)
		else 0 end)
	end;

# What a desired-state file ($ARGS.named.file, --argjson file) names of
# one pool $p (its entry) whose device is . (a topology port): whether it
# names a range, a QoS control, each bandwidth list.
  def names_ranges($p): any($p.lds[]?; has("range1") or has("range2"));
  def names_bw($p; $k): any($p.lds[]?; has($k));
  def bw_list_pages(r; $p; $k):
	if names_bw($p; $k) then pages(r; 2; 1; (.device.mld.lds | length)) else 0 end;
  def fabric_file: $ARGS.named.file | if type == "array" then .[0] else . end;
  def file_pools: fabric_file.switches[0].pools[]?;
  def file_dc_ports: [fabric_file.switches[0].dc[]?.port] | unique | .[];
  def port_of($id): $top.ports[] | select(.port_id == $id);


  if $cmd == "list" or $cmd == "identify" then 2
  # list: Identify and Identify Switch Device of the switch
  elif $cmd == "list-ports" then 1 + switch_reads(["ports"])
  elif $cmd == "list-vcs" then 1 + switch_reads(["vcs"])
  elif $cmd == "list-devices" then
	1 + switch_reads(["ports"])
	+ ([$top.ports[] | select(type3) | device_listing] | add // 0)
  elif $cmd == "list-lds" then
	# which VCSs (0x5100), their vPPBs (for bound_to), Get LD Info (the LD
	# count and memory size), the allocations
	1 + switch_reads(["vcs"]) + 1 + (the_port | ld_pages(room(learned(["vcs"]))))
  elif $cmd == "topology" then
	# Get Supported Logs and the CEL (what the switch lacks is not asked),
	# 0x5100, every port, every VCS, every device
	(["ports", "vcs", "cel"]) as $r
	| 2 + switch_reads($r)
	+ ([$top.ports[] | select(type3) | device_topology(room(learned($r)))] | add // 0)
  elif $cmd == "export" then
	# every device: what can be changed, not who a device is
	(["ports", "vcs"]) as $r
	| 1 + switch_reads($r)
	+ ([$top.ports[] | select(type3) | device_export(room(learned($r)))] | add // 0)
  elif $cmd == "plan" then
	# plan of the file $ARGS.named.file (apply's read before its plan):
	# the switch's ports and VCSs (whom a step affects, two hosts on one
	# LD), and of the devices only what the file names. A pool it names:
	# its LD Info and allocations (LD count, granularity and capacity,
	# which any change needs), its QoS control and each bandwidth list
	# the file names. A DCD it names: Get DCD Info, its regions and every
	# host's extents. Nothing else is asked (no Get DCD Info of a device
	# the file gives no capacity on); no step needs a device's request
	# limit when the switch already matches. A device that does not
	# answer: one attempt.
	(["ports", "vcs"]) as $r
	| room(learned($r)) as $room
	| 1 + switch_reads($r)
	+ ([file_pools as $p | port_of($p.port) | select(type3)
		| if reachable then
			1 + ld_pages($room) + (if $p.qos_control != null then 1 else 0 end)
			+ bw_list_pages($room; $p; "qos_allocated_bw")
			+ bw_list_pages($room; $p; "qos_bw_limit")
		  else 1 end] | add // 0)
	+ ([file_dc_ports as $d | port_of($d) | select(type3)
		| if reachable then
			1 + pages($room; 20; 40; (.device.dcd.regions | length)) + extent_pages($room)
		  else 1 end] | add // 0)
  elif $cmd == "reread" then
	# One of apply's reads after its plan's (a step's read-back, the
	# check before an undo), for the file $ARGS.named.file: what a step
	# can change, check or send and the final check compares, which is
	# what the file names; nothing is asked that only repeats what the
	# run knows (the switch's identity and its ports and VCSs, an MLD's
	# LD Info, whether a device is a DCD and its regions: none changes
	# by a step). Every port's state (where a swapped device shows); the
	# VCSs when the file names a vPPB; of a pool it names, the
	# allocations when it names a range (or nothing else: it must still
	# answer), its QoS control when it names one, each bandwidth list it
	# names; of a DCD it names, every host's extents. The plan's read
	# learnt the limit when its answers needed it.
	(["ports", "vcs"]) as $r
	| room(learned($r)) as $room
	| (if learned($r) then $limit else $sure end) as $l
	| ("ports" | pages_at($l))
	+ (if ([fabric_file.switches[0].vcss[]?.vppbs[]?] | length) > 0 then "vcs" | pages_at($l) else 0 end)
	+ ([file_pools as $p | port_of($p.port)
		| (if names_ranges($p) or ($p.qos_control == null
			and ((names_bw($p; "qos_allocated_bw") or names_bw($p; "qos_bw_limit")) | not))
		   then ld_pages($room) else 0 end)
		+ (if $p.qos_control != null then 1 else 0 end)
		+ bw_list_pages($room; $p; "qos_allocated_bw")
		+ bw_list_pages($room; $p; "qos_bw_limit")] | add // 0)
	+ ([file_dc_ports as $d | port_of($d) | extent_pages($room)] | add // 0)
  elif $cmd == "doctor" then
	# Get Event Records names no count (the answer fills the CCI's own
	# limit), so reading any event log needs the limit whatever the logs
	# hold: asked first (0x0003), it pages every answer after it. Then
	# Identify Switch Device (0x5100), every port (held in reset, link
	# down), every VCS (vPPBs stuck, LDs bound), Background Operation
	# Status only when a vPPB is in progress (to tell a running bind from
	# a stuck one: with none there is nothing to tell), and one page of
	# each of the five event logs the spec defines (the overflow flag is
	# in every page's header).
	2 + ("ports" | pages_at($limit)) + ("vcs" | pages_at($limit))
	+ (if any($top.vcss[] | select(.vcs_id as $i | $vcs_ids | index($i))
		| .vppbs[]; .binding_status == "in_progress") then 1 else 0 end)
	+ 5
	+ ([$top.ports[] | select(type3 and link_up) | device_doctor] | add // 0)
  elif $cmd == "commands" then 1 + switch_reads(["cel"])
  elif $cmd == "events" then 5
	# Get Event Records of the informational, warning, failure and fatal
	# logs; its request names no count (the device fills its answer to
	# its own limit), so the limit is asked first whatever the logs hold
  elif $cmd == "dcd-info" then 1
  elif $cmd == "qos" then 5
	# 0x5400 (the LD count), 0x5403, 0x5405, 0x5406 and 0x5408 (2 bytes
	# and one per LD: 18 at most)
  elif $cmd == "fw-info" or $cmd == "timestamp" or $cmd == "bg-status"
	or $cmd == "get-response-limit" or $cmd == "event-policy" then 1
  else error("no minimum for \($cmd)") end
