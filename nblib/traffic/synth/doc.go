// Package synth generates the synthetic stand-ins for the NetDiffus paper's
// datasets from seeds: D1-like video streaming, D2-like web browsing,
// D3-like smart-speaker commands and WW-like Wikipedia page views. The data
// is synthetic: it imitates the structure the paper's features see, not any
// real capture. Every generator is a pure function of its configuration and
// seed.
//
// # Video (D1)
//
// Each video v has a per-segment complexity c_{v,k} = exp(z_k), z an AR(1)
// process (scene correlation rho, stationary deviation sigma_VBR). A session
// streams it over a link whose throughput is
//
//	R(t) = R_0 * exp(x(t)),  x an AR(1) process per second (network variation),
//
// with R_0 log-normal per session. An ABR picks the highest ladder rate
// below 0.8x the harmonic mean of the last three segment throughputs; a
// segment at rate r has r * D * c_{v,k} bits (D the segment duration) and
// downloads over [t, t + size/R(t) + RTT]. Playback starts after a random
// startup delay; once the buffer holds B_max seconds the player waits until
// it drains below B_max - D (the on-off pattern). Segments are occasionally
// aborted and re-requested, audio segments and background packets add
// bytes, and the bytes are spread over 0.25 s bins for 180 s (720 bins).
//
// # Web (D2)
//
// A site is a page of K resources in dependency rounds (document, then
// scripts/styles, then media), each of a log-normal number of cells. A visit
// drops resources (cache) with probability p_cache, rescales each by a
// log-normal factor, adds a few third-party resources, and interleaves the
// resources of a round on parallel connections; each response cell is
// downlink (-1), requests and acks are uplink (+1), with per-visit RTT and
// exponential intra-burst gaps. Sequences are cut or zero padded at 5000.
//
// # Smart speakers (D3)
//
// A command has a spoken-query duration q (voice upload of ~40 packets/s of
// 300-900 bytes), a cloud think time and a response size S (1500-byte
// downlink packets with uplink acks), all log-normal around per-command
// means. Alexa's command means are drawn closer together than Google's, so
// its classes overlap more (as in the paper's Table 1). Traces keep the first
// 300 packets: size, direction and gaps.
//
// # Wikipedia web traffic (WW)
//
// A page has a log-normal level, a linear trend, news spikes (exponentially
// decaying bursts at Poisson times) and log-normal daily noise; its access
// type sets the weekly profile: desktop peaks on weekdays, mobile-web at the
// weekend, all-access mixes both with a page-specific mobile share. Series
// cover 550 days from 2015-07-01 (a Wednesday).
package synth
