#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Generate an N-port switch with devices behind its ports, for measuring
# how the tool's cost grows with the fabric (tests/bench, roundtrips.bats).
# N is 32..256, a multiple of 16. Ports 0..N/16-1 are USPs (USP n belongs to
# VCS n, every VCS has 64 vPPBs); the other ports are DSPs with a repeating
# mix chosen by port id % 10, as gen-big256.sh, but with devices:
#   0 SLD 16 GiB x8 32GT    1 MLD 16 LDs 256 GiB x16    2 SLD 16 GiB + DCD
#   3 PCIe x4               4 MLD 8 LDs 128 GiB x16     5 nothing connected
#   6 Type 2 x8             7 SLD 32 GiB x16 64GT       8 MLD 4 LDs 64 GiB x8
#   9 Type 1 x8, or a disabled port when id % 20 == 19
# Type 3 devices: max_msg_size 1024, serial 0x00c0ffee0000PPPP (PPPP the
# port), host_memdev null (no host memdevs unless HOST_MEMDEVS=1, which
# names every device's memdev memP). LD k of an MLD with LDs allocated
# 4 units each (LDs 0..n-2; the last is left empty) is bound to VCS
# (p + k) % VCSs; other connected DSPs to VCS (p - USPs) % VCSs; each VCS
# fills its vPPBs from 0. DCD (id % 10 == 2): 1 host, one 4 GiB region at
# 16 GiB of 2 MiB blocks, one 256 MiB extent.
#
# Usage: gen-fabric.sh N > fabricN.json (needs jq)
set -euo pipefail
n=${1:?usage: gen-fabric.sh PORTS}
if (( n < 32 || n > 256 || n % 16 )); then
	echo "gen-fabric.sh: PORTS must be 32..256, a multiple of 16" >&2
	exit 2
fi

jq -n --indent 1 --argjson n "$n" --argjson host "${HOST_MEMDEVS:-0}" '
def speeds($max): [2.5, 5.0, 8.0, 16.0, 32.0, 64.0] | map(select(. <= $max));
def hex($v; $w): [range($w)] | map(. as $i | $v / pow(16; $w - 1 - $i) | floor % 16
		| "0123456789abcdef"[.:. + 1]) | join("");
def memdev($bytes): {
  fw_revision: "emu-t3-1.0", total_capacity_bytes: $bytes,
  volatile_only_capacity_bytes: $bytes, persistent_only_capacity_bytes: 0,
  partition_align_bytes: 0, info_event_log_size: 64,
  warning_event_log_size: 32, failure_event_log_size: 16,
  fatal_event_log_size: 8, dc_event_log_size: 16, lsa_size: 0,
  poison_list_max_records: 256, inject_poison_limit: 8,
  poison_handling_caps: 0,
  qos_telemetry_caps: { egress_port_congestion: true,
                        temporary_throughput_reduction: false } };
def device($p; $bytes): {
  identify: { vendor_id: "0x1b36", device_id: "0x0d93",
              subsys_vendor_id: "0x1b36", subsys_id: "0x0001",
              serial: ("0x00c0ffee0000" + hex($p; 4)), component_type: "type3" },
  max_msg_size: 1024, memdev: memdev($bytes),
  host_memdev: (if $host == 1 then "mem\($p)" else null end) };
def mld($lds): {
  memory_size_bytes: ($lds * 16 * 1073741824), granularity: "1GiB",
  lds: [range($lds) | { ld_id: ., range1_multiplier: (if . < $lds - 1 then 4 else 0 end),
                        range2_multiplier: 0, qos_allocated_bw: 64, qos_bw_limit: 255 }],
  qos_control: { egress_port_congestion_enable: true,
                 temporary_throughput_reduction_enable: false,
                 egress_moderate_percent: 10, egress_severe_percent: 25,
                 backpressure_sample_interval: 8, req_cmpl_basis: 1000,
                 completion_collection_interval: 64 },
  backpressure_average_percent: 3 };
def dcd: {
  host_count: 1, selection_policies: ["free", "contiguous", "prescriptive"],
  removal_policies: ["tag_based", "prescriptive"],
  total_capacity_bytes: 4294967296, extents_supported: 64, tags_supported: 16,
  regions: [{ region_id: 0, base: "0x400000000", decode_length_bytes: 4294967296,
              length_bytes: 4294967296, block_size_bytes: 2097152,
              supported_block_sizes_bytes: [2097152], sanitize_on_release: false,
              flags: 0 }],
  hosts: [{ host_id: 0, generation: 1,
            extents: [{ start_dpa: "0x400000000", length_bytes: 268435456,
                        tag: "6a2c5e64-3f0e-4d61-9c9e-1b2a0c4d5e01",
                        shared_sequence: 0 }] }] };
def port($id; $state; $dev; $ver; $w; $cur; $max; $ld; $ltssm; $prsnt):
  {
    port_id: $id, config_state: $state, connected_cxl_version: $ver,
    connected_device_type: $dev,
    supported_cxl_versions: (["cxl_1.1", "cxl_2.0"] +
                             (if $max == 64 then ["256b_flit"] else [] end)),
    max_link_width: 16, negotiated_link_width: $w,
    supported_link_speeds_gts: speeds($max), max_link_speed_gts: $max,
    current_link_speed_gts: $cur, ltssm_state: $ltssm,
    first_negotiated_lane: 0,
    link_state_flags: { lane_reversal: false, perst_asserted: false,
                        prsnt_detected: $prsnt, power_off: false },
    supported_ld_count: $ld
  };
def up($d; $w; $s; $max; $ld): port(.; "dsp"; $d; "cxl_68b_flit_vh"; $w; $s; $max; $ld; "l0"; true);
def sld($gib): .device = device(.port_id; $gib * 1073741824);
def mldport($lds): .device = (device(.port_id; $lds * 16 * 1073741824) + { mld: mld($lds) });
($n / 16) as $usps
| def mkport:
  if . < $usps then port(.; "usp"; "none"; "cxl_68b_flit_vh"; 16; 32; 32; 0; "l0"; true)
  elif . % 10 == 0 then up("cxl_type3_sld"; 8; 32; 32; 0) | sld(16)
  elif . % 10 == 1 then up("cxl_type3_mld"; 16; 32; 32; 16) | mldport(16)
  elif . % 10 == 2 then up("cxl_type3_sld"; 4; 16; 32; 0) | sld(16) | .device.dcd = dcd
  elif . % 10 == 3 then port(.; "dsp"; "pcie"; "none"; 4; 16; 32; 0; "l0"; true)
  elif . % 10 == 4 then up("cxl_type3_mld"; 16; 64; 64; 8) | mldport(8)
  elif . % 10 == 5 then port(.; "dsp"; "none"; "none"; 0; null; 32; 0; "detect"; false)
  elif . % 10 == 6 then up("cxl_type2_or_hbr_switch"; 8; 32; 32; 0)
  elif . % 10 == 7 then up("cxl_type3_sld"; 16; 64; 64; 0) | sld(32)
  elif . % 10 == 8 then up("cxl_type3_mld"; 8; 32; 32; 4) | mldport(4)
  elif . % 20 == 19 then port(.; "disabled"; "none"; "none"; 0; null; 32; 0; "disabled"; false)
  else up("cxl_type1"; 8; 32; 32; 0)
  end;
[range($n) | mkport] as $ports
| ([$ports[$usps:][] | select(.config_state == "dsp" and .connected_device_type != "none")
    | if .connected_device_type == "cxl_type3_mld" then
        .port_id as $p | range(.supported_ld_count)
        | { vcs: (($p + .) % $usps), binding_status: "bound_ld", port_id: $p, ld_id: . }
      else
        { vcs: ((.port_id - $usps) % $usps), binding_status: "bound_port",
          port_id: .port_id, ld_id: null }
      end]) as $binds
| {
    identify: { vendor_id: "0x1b36", device_id: "0x7075",
                subsys_vendor_id: "0x1b36", subsys_id: ("0x" + hex($n; 4)),
                serial: ("0x00000000cafe" + hex($n; 4)), component_type: "switch" },
    max_msg_size: 4096, ingress_port_id: 0, hdm_decoders_per_usp: 8,
    ports: $ports,
    vcss: [range($usps) as $v
      | [$binds[] | select(.vcs == $v) | del(.vcs)] as $mine
      | if ($mine | length) > 64 then error("VCS \($v): too many bindings") else . end
      | { vcs_id: $v, state: "enabled", usp_id: $v,
          vppbs: [range(64) as $i
            | { vppb_id: $i } + ($mine[$i] // { binding_status: "unbound",
                                                port_id: null, ld_id: null })] }]
  }'
