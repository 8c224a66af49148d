// Package trafficio reads and writes traffic datasets in the formats the
// NetDiffus experiments meet, returning traffic.Dataset values.
//
// Readers, one per format:
//
//   - ReadCSVFolder: a folder of per-trace CSV files with a header naming
//     time,size,direction (an unnamed leading index column and extra columns
//     are allowed) plus labels.csv (file,label[,group]); the VCFingerprinting
//     layout. This and ReadLongCSV are the documented way to bring your own data.
//   - ReadLongCSV: one CSV with trace,label,time,size,direction[,group].
//   - ReadPcaps / ReadPcap: pcap and pcapng captures (gopacket's pcapgo) with
//     a DirectionRule saying which endpoint is the device, and a labels file
//     mapping capture files to labels.
//   - ReadNPZ / ReadNPY / ReadDoppelGANger: NumPy arrays of series with
//     labels, including DoppelGANger's data_train.npz layout.
//   - ReadNetSharePackets / ReadNetShareFlows: NetShare's packet and flow CSVs.
//   - ReadWikiWide / ReadWikiLong: Wikipedia Web Traffic (Kaggle wide CSV, or
//     long Page,date,value), with domain, access and agent parsed from the
//     page name; the class is the access type.
//   - ReadDFPickles: the Deep Fingerprinting dataset's X/y pickles.
//   - ReadSeries / ReadSeriesCSV / ReadSeriesNPY: unlabelled series, one per
//     CSV line or down a CSV column, or a float (N, L) NumPy array, as
//     `netdiffus image` reads them; values must be finite, and more than
//     SeriesOptions.MaxValues is an error before they are stored.
//   - ReadThroughput: bandwidth logs with "<time s> <Mbit/s>" lines (Pensieve
//     / FCC / Norway HSDPA), integrated into bytes per step.
//
// Every reader returns a traffic.Report listing each item it skipped or
// repaired and why (a malformed row with its file and line, an empty trace, a
// file without a label, a truncated capture, timestamps that had to be
// sorted). Structural problems (a missing column, an unreadable file) are
// errors naming the file and, where there is one, the line. Lenient is the
// default: with Strict set, the first malformed row is an error instead.
//
// Readers stream their input row by row or packet by packet; memory grows
// with the dataset being built, not with the file. A Progress callback, when
// set, is called with bytes (or files) done and the total.
//
// # Hostile input
//
// Every reader checks what a file claims before allocating for it, and no
// input can panic a reader:
//
//   - NumPy files go through internal/npy: the header's shape times the
//     item size must equal the bytes present (for .npz members, the declared
//     uncompressed size, and reading stops there: a zip bomb is an error), with
//     a limit on one array (ArrayOptions.MaxArrayBytes, 1 GiB by default).
//   - Pickles are pre-scanned opcode by opcode: every length they claim must fit
//     in the file; gopickle's panics become errors naming the file.
//   - Class labels: a label value above MaxClasses (65536, or the MaxClasses
//     option) is an error; label values that are not 0..C-1 ({0, 1, 9}) become
//     C classes named by their values, with a report entry, never empty classes.
//   - Values: times must be finite within ±MaxTime, sizes finite in
//     [0, MaxSize], page views finite and >= 0, throughput lines may not stretch
//     a trace beyond ThroughputOptions.MaxBins; anything else is reported and
//     skipped. A series array of shape (N, 0) is an error.
//   - Paths named in a labels file must be local (filepath.IsLocal) and, with
//     symbolic links resolved, stay inside the folder; other entries are
//     reported without opening them.
//
// Writers: WriteLongCSV, WriteCSVFolder and WriteNPZ, for conversions. Each
// file is written atomically (internal/atomicfile); values outside the
// readers' domain are an error before anything is written, so all that is
// written reads back unchanged. WriteCSVFolder names files by TraceFileName
// (injective escaping) and keeps the exact ids in labels.csv's trace column.
// WriteCapture and WriteCaptureFolder (pcap or pcapng) write packet traces as
// captures between the two Endpoints (by default 192.168.1.20, the device,
// and 203.0.113.10:443): synthesised Ethernet/IPv4/TCP headers, the packet's
// size as the frame length, nanosecond times; ReadPcaps with Endpoints.Rule()
// reads them back to the same packets, and tshark opens them without an
// expert-info warning (a test, where tshark is installed).
package trafficio
