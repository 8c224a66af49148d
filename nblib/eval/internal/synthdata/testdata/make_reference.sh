#!/bin/sh
# Refreshes classify_ref.txt. Run from nblib/eval/internal/synthdata:
#   NETDIFFUS_WRITE_GOLDEN=1 go test -run TestWriteReferenceNpy . && sh testdata/make_reference.sh
set -e
ref=../../../../../shared/reference/classify_ref.py
t=${TMPDIR:-/tmp}/netdiffus_ref_
{
	echo "# /usr/bin/python3 classify_ref.py classify train_x train_y test_x test_y SEED, seeds 0 1 2"
	echo "# (scikit-learn 1.2.1, xgboost 1.7.4 from Debian; fit_s measured on the shared 2-core machine)"
	for s in 0 1 2; do
		/usr/bin/python3 $ref classify ${t}train_x.npy ${t}train_y.npy ${t}test_x.npy ${t}test_y.npy $s
	done
} > testdata/classify_ref.txt
cat testdata/classify_ref.txt
