#!/bin/sh
# Recomputes golden.txt from the .npy features with the paper's Python stack (Debian python3-scipy).
# Run from nblib/eval/fid:  NETDIFFUS_WRITE_GOLDEN=1 go test -run TestWriteGoldenFeatures . && sh testdata/make_golden.sh
set -e
ref=../../../../shared/reference/classify_ref.py
{
	echo "# name frechet kid"
	echo "# frechet: /usr/bin/python3 $ref frechet testdata/a_NAME.npy testdata/b_NAME.npy (pytorch-fid formula, scipy sqrtm)"
	echo "# kid:     /usr/bin/python3 testdata/kid_ref.py testdata/a_NAME.npy testdata/b_NAME.npy"
	for name in fullrank deficient samedist onefewer; do
		fr=$(/usr/bin/python3 $ref frechet testdata/a_$name.npy testdata/b_$name.npy | sed 's/frechet=//')
		kid=$(/usr/bin/python3 testdata/kid_ref.py testdata/a_$name.npy testdata/b_$name.npy | sed 's/kid=//')
		echo "$name $fr $kid"
	done
} > testdata/golden.txt
cat testdata/golden.txt
