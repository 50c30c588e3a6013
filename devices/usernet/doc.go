// Package usernet is QEMU's user-mode network (`-netdev user`, "slirp")
// for Mimic: the host-side back end behind an emulated NIC. It knows
// nothing of virtio, devices or the CPU: Ethernet frames from the guest go
// in through Send, frames for the guest come out through the function given
// to Attach.
//
// # Interface
//
//   - Send(frame): one Ethernet II frame from the guest, checksums complete
//     (a NIC model fills in a partial checksum, VIRTIO_NET_HDR_F_NEEDS_CSUM,
//     before calling Send). Frames above the MTU are accepted whole, so a
//     guest's TSO segments (up to 64 KiB) need no segmentation. Send copies
//     the frame and never calls deliver itself.
//   - deliver(frame): one Ethernet II frame of at most MTU+14 bytes with
//     complete checksums, from a single goroutine of the Network, in order.
//   - Receive offload, for a NIC model whose guest takes it (virtio-net's
//     GUEST_TSO4 and GUEST_CSUM): attached with AttachOffload instead of
//     Attach, deliver(frame, mss) also gets TCP segments of up to 64 KiB
//     whose checksum is left partial (the pseudo-header sum, as Linux's
//     CHECKSUM_PARTIAL), with the MSS to cut them at, while
//     SetOffload(true) is in force. The NIC model turns it on when the
//     guest negotiates the feature and off when the guest resets the NIC.
//     gVisor's TCP builds such segments for every connection (host GSO):
//     for a receiver without offload the Network cuts them and completes
//     the checksums itself, one pass over the bytes, before deliver.
//   - New opens the host forward listeners; Close shuts everything.
//
// The TCP/IP work is done by gVisor's netstack: one NIC in promiscuous mode
// (it accepts packets to any address) with spoofing (it answers from any
// address), a TCP and a UDP forwarder that turn the guest's flows into host
// sockets, and gonet connections dialled into the stack for host forwards.
// ARP, DHCP and echo replies of the virtual hosts are answered here, before
// gVisor, as slirp answers them. gvisor-tap-vsock drives netstack the same
// way but is not used: it cannot give QEMU's addressing (it serves DNS on
// the gateway address, and its DHCP and ARP differ) and has no restricted
// mode.
//
// # What matches libslirp (QEMU's defaults)
//
//   - Network 10.0.2.0/24, host and gateway 10.0.2.2, DNS 10.0.2.3, DHCP
//     from 10.0.2.15; net=, host=, dns= and dhcpstart= as QEMU parses and
//     checks them (net/slirp.c), including the x.x.2.2/.3/.15 defaults in
//     a wider net=.
//   - Virtual hosts answer ARP with MAC 52:55 followed by their address
//     (52:55:0a:00:02:02 for 10.0.2.2); frames from the Network carry the
//     host's MAC. Nothing else in the network is answered (arp_input).
//   - DHCP (bootp.c): 16 leases from dhcpstart, one per client MAC, lease 24
//     hours, a REQUEST for an address owned by another MAC is NAKed, plain
//     BOOTP is answered as a REQUEST. Options: message type, server id,
//     netmask, router and DNS (not when restricted), lease time, hostname
//     (12) and domain name (15) when configured. Replies are 548-byte BOOTP
//     messages broadcast from 10.0.2.2:67.
//   - Outbound TCP and UDP go out through host sockets (sotranslate_out):
//     the DNS address to the host's resolver (the first IPv4 nameserver of
//     /etc/resolv.conf, or Config.Nameservers), any other address of the
//     network to 127.0.0.1, everything else to itself. Half-close and reset
//     pass through in both directions; a refused connect resets the guest's
//     SYN. UDP flows end after 240 s idle, 10 s for DNS (SO_EXPIRE,
//     SO_EXPIREFAST). TCP to the DNS address works too.
//   - Echo requests to the host and DNS addresses are answered locally
//     (icmp_reflect, TTL 255); others are sent from unprivileged ICMP
//     sockets where the host allows them (Linux, net.ipv4.ping_group_range).
//   - hostfwd: QEMU's syntax and defaults (host address 0.0.0.0, guest
//     address dhcpstart, host port 0 = any free port); the listener is open
//     when New returns. Each host connection, or each UDP peer, is
//     connected into the guest from 10.0.2.2.
//   - restrict=on, as libslirp: every TCP SYN that no host forward owns is
//     answered with a reset, every UDP datagram except DHCP is dropped (so
//     DNS does not work either), echo requests leave only for the virtual
//     hosts, DHCP offers neither router nor DNS. Host forwards, DHCP, ARP
//     and pings of 10.0.2.2/.3 keep working.
//
// # Where it deviates
//
//   - IPv4 only: no IPv6 (slirp's fec0::/64, NDP, DHCPv6); IPv6 frames are
//     dropped and counted. No tftp=, bootfile=, smb=, guestfwd=, dnssearch=.
//   - A connect that fails other than by refusal (unreachable, timeout
//     after 75 s) also resets the guest's connection; libslirp sends an
//     ICMP net/host unreachable. A UDP datagram the host refuses is dropped
//     without slirp's ICMP port unreachable.
//   - Host forward connections come from 10.0.2.2 and an ephemeral port even
//     when the host peer is not loopback; libslirp shows a remote peer's
//     own address and port to the guest.
//   - Datagrams to broadcast or multicast addresses, UDP to 10.0.2.2:69
//     (slirp's TFTP), and fragmented ICMP are dropped rather than sent out.
//   - A packet for a guest address whose MAC is unknown triggers an ARP
//     request and is dropped (TCP retransmits); slirp holds it for up to a
//     second. The MAC is learnt from ARP, DHCP and the guest's IPv4 frames.
//   - A hostfwd guest address outside the network is an error from New;
//     libslirp accepts it and never connects.
//   - MTU: 68 to 65521 as libslirp; frames to the guest never exceed it,
//     unless the receiver asked for offload (above).
//     Frames to the guest are dropped (and counted) when 4096 are already
//     waiting for deliver.
package usernet
