#!/usr/bin/env bash
# fetch.sh: download the public real datasets NetDiffus-Go's loaders and tests
# use, from their upstream repositories at pinned commits, and check them
# against the SHA-256 checksums recorded below. Needs curl, tar, sha256sum.
#
#   datasets/fetch.sh [-d DEST] get [NAME...]   download (default: all) into DEST
#   datasets/fetch.sh [-d DEST] verify [NAME...] only check what is in DEST
#   datasets/fetch.sh list                       names, sources, licences
#
# DEST defaults to ../shared/datasets next to the repository root (where the
# tests look, as ../../../shared/datasets from nblib/<pkg>). Each dataset
# lands in DEST/NAME with a SOURCE.txt. Datasets that need an account or a
# manual download (Kaggle WWT, DoppelGANger's WWT, Deep Fingerprinting) are
# described by 'list' and in datasets/README.md; this script does not fetch
# them.
#
# The compact copies of vcfp-alexa and pensieve-bw embedded in datasets/real
# (alexa.npz, pensieve.npz) are built from DEST by
#   datasets/fetch.sh get vcfp-alexa pensieve-bw
#   go run ./scripts/mkrealdata -shared DEST -out datasets/real   # compare with the committed bytes
# (add -write to replace them and real/SHA256SUMS); no test downloads.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dest="$here/../../shared/datasets"

# name|repo|commit|licence
sources=(
  "vcfp-alexa|SmartHomePrivacyProject/VCFingerprinting|2de88766e2b2beeed44a4267c370fe755b5db90d|MIT; research use (README)"
  "pensieve-bw|hongzimao/pensieve|a49b2ac17f4ec0f5337e3ca9b00a8a8276e22e6f|MIT"
  "netshare-samples|netsharecmu/NetShare|af026037a88db486069209e2258e11c2df1b93e2|Clear BSD; CAIDA / UGR16 terms apply"
  "wwt-timetk-sample|business-science/timetk|5a06bd8b5d777e4d6be4d15658c289f1da2c1884|GPL-3 (timetk); Kaggle WWT terms apply"
)

# Checksums: a file's sha256, or for a folder the sha256 of its manifest
# (find -type f, sorted bytewise, then sha256sum of every file).
declare -A sums=(
  [vcfp-alexa/trace_csv]=ed420d4261c6a93c91b88db07512de17b9eac696de80a846c86a652afaa52ff1
  [pensieve-bw/cooked_traces]=2654f4452eef6f63130c10fb6c13c5d514844bc2bd4af9359353289d7fe30879
  [pensieve-bw/cooked_test_traces]=fb35aca01710b1fd834e9b9af94946198c0d351362b726cf2500347b4ae3b89d
  [netshare-samples/caida-small/raw.pcap]=0a45bcc64f4337e69324b6dce11eff70aa79274f180b42519199887970522940
  [netshare-samples/ugr16-small/raw.csv]=22968cf44a51f64e592f5f1859d95a326d0d735698a6fd8353e39a7d0b466175
  [wwt-timetk-sample/wikipedia_traffic_daily.rda]=5be2f8983fd39b80f9ab90dcf36eb9c9958b32bdfa4e26af0d424bacbb53bf79
)

die() { echo "fetch.sh: $*" >&2; exit 1; }

field() { # field NAME INDEX
  local s
  for s in "${sources[@]}"; do
    IFS='|' read -r -a f <<<"$s"
    if [[ ${f[0]} == "$1" ]]; then echo "${f[$2]}"; return; fi
  done
  die "unknown dataset '$1' (try: fetch.sh list)"
}

checksum() { # checksum PATH: file hash or folder manifest hash
  if [[ -d $1 ]]; then
    (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1
  else
    sha256sum "$1" | cut -d' ' -f1
  fi
}

verify() { # verify NAME: check every recorded path of NAME under dest
  local name=$1 bad=0 key got
  for key in "${!sums[@]}"; do
    [[ $key == "$name"/* ]] || continue
    if [[ ! -e $dest/$key ]]; then echo "MISSING  $key"; bad=1; continue; fi
    got=$(checksum "$dest/$key")
    if [[ $got == "${sums[$key]}" ]]; then echo "ok       $key"; else echo "MISMATCH $key ($got)"; bad=1; fi
  done
  return $bad
}

tarball() { # tarball REPO COMMIT OUT: download a repository snapshot
  curl -fL --retry 3 -o "$3" "https://codeload.github.com/$1/tar.gz/$2"
}

raw() { # raw REPO COMMIT PATH OUT
  mkdir -p "$(dirname "$4")"
  curl -fL --retry 3 -o "$4" "https://raw.githubusercontent.com/$1/$2/$3"
}

source_txt() { # source_txt NAME NOTE
  printf 'Repo:    https://github.com/%s\nCommit:  %s\nLicense: %s\nFetched: %s by datasets/fetch.sh\n%s\n' \
    "$(field "$1" 1)" "$(field "$1" 2)" "$(field "$1" 3)" "$(date -u +%Y-%m-%d)" "$2" >"$dest/$1/SOURCE.txt"
}

# vcfp_labels writes labels.csv (file,label,capture_set): the label is the
# file name without "_(L_)?<n>.csv" and then without the "_5..." suffix.
vcfp_labels() {
  local dir=$dest/vcfp-alexa f l s
  {
    echo "file,label,capture_set"
    for f in "$dir"/trace_csv/*.csv; do
      f=$(basename "$f")
      l=$(sed -E 's/_(L_)?[0-9]+\.csv$//; s/_5.*$//' <<<"$f")
      s=A; [[ $f == *_L_* ]] && s=L
      echo "$f,$l,$s"
    done
  } >"$dir/labels.csv"
}

get() {
  local name=$1 repo commit tmp
  repo=$(field "$name" 1); commit=$(field "$name" 2)
  mkdir -p "$dest/$name"
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
  case $name in
    vcfp-alexa)
      tarball "$repo" "$commit" "$tmp/repo.tgz"
      tar -xzf "$tmp/repo.tgz" -C "$tmp" --wildcards '*/data/trace_csv/*'
      rm -rf "$dest/$name/trace_csv"; mv "$tmp"/*/data/trace_csv "$dest/$name/"
      vcfp_labels
      source_txt "$name" "Paths:   data/trace_csv/*.csv; labels.csv derived from the file names by fetch.sh" ;;
    pensieve-bw)
      tarball "$repo" "$commit" "$tmp/repo.tgz"
      tar -xzf "$tmp/repo.tgz" -C "$tmp" --wildcards '*/sim/cooked_traces/*' '*/sim/cooked_test_traces/*'
      rm -rf "$dest/$name/cooked_traces" "$dest/$name/cooked_test_traces"
      mv "$tmp"/*/sim/cooked_traces "$tmp"/*/sim/cooked_test_traces "$dest/$name/"
      source_txt "$name" "Paths:   sim/cooked_traces, sim/cooked_test_traces (<time s> <Mbit/s> lines)" ;;
    netshare-samples)
      raw "$repo" "$commit" traces/caida-small/raw.pcap "$dest/$name/caida-small/raw.pcap"
      raw "$repo" "$commit" traces/ugr16-small/raw.csv "$dest/$name/ugr16-small/raw.csv"
      source_txt "$name" "Paths:   traces/caida-small/raw.pcap (pcapng), traces/ugr16-small/raw.csv (NetFlow)" ;;
    wwt-timetk-sample)
      raw "$repo" "$commit" data/wikipedia_traffic_daily.rda "$dest/$name/wikipedia_traffic_daily.rda"
      if command -v Rscript >/dev/null; then
        Rscript -e "load('$dest/$name/wikipedia_traffic_daily.rda'); d <- wikipedia_traffic_daily; write.csv(data.frame(Page=d\$Page, date=format(d\$date), value=d\$value), '$dest/$name/wikipedia_traffic_daily.csv', row.names=FALSE)"
      else
        echo "fetch.sh: Rscript not found: convert wikipedia_traffic_daily.rda to CSV (Page,date,value) yourself" >&2
      fi
      source_txt "$name" "Paths:   data/wikipedia_traffic_daily.rda (10 pages x 550 days of Kaggle WWT)" ;;
  esac
  verify "$name"
}

list() {
  local s
  for s in "${sources[@]}"; do
    IFS='|' read -r -a f <<<"$s"
    printf '%-18s https://github.com/%s @ %.12s  (%s)\n' "${f[0]}" "${f[1]}" "${f[2]}" "${f[3]}"
  done
  cat <<'TXT'
not fetched here (accounts or manual downloads; see datasets/README.md):
  kaggle-wwt         kaggle competitions download -c web-traffic-time-series-forecasting
  doppelganger-wwt   DoppelGANger's data_train.npz, linked from github.com/fjxmlzn/DoppelGANger
  deep-fingerprinting  DF pickles, linked from github.com/deep-fingerprinting/df
embedded in datasets/real (rebuild: go run ./scripts/mkrealdata -shared DEST -out datasets/real):
  alexa.npz          from vcfp-alexa (VCFingerprinting, MIT)
  pensieve.npz       from pensieve-bw (Pensieve, MIT)
TXT
}

while getopts "d:h" opt; do
  case $opt in
    d) dest=$OPTARG ;;
    *) sed -n '2,21p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
cmd=${1:-}; [[ -n $cmd ]] || { sed -n '2,21p' "$0"; exit 2; }
shift
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
  for s in "${sources[@]}"; do names+=("${s%%|*}"); done
fi
case $cmd in
  list) list ;;
  get) for n in "${names[@]}"; do field "$n" 0 >/dev/null; get "$n"; done ;;
  verify) rc=0; for n in "${names[@]}"; do field "$n" 0 >/dev/null; verify "$n" || rc=1; done; exit $rc ;;
  *) die "unknown command '$cmd' (get, verify or list)" ;;
esac
