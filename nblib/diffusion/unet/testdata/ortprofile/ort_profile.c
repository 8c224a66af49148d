/* ort_profile.c: run an exported ONNX training step (TestExportStepONNX) under ONNX Runtime's
 * profiler with one thread and random inputs, printing ms/run; categorize.py then splits the
 * profile's kernel time by kind of work.
 *
 *   UNET_EXPORT_ONNX=/tmp/step.onnx go test -run TestExportStepONNX ./nblib/diffusion/unet/
 *   ORT=.tools/onnxruntime; H=$(go env GOMODCACHE)/github.com/gomlx/compute-onnx@v0.1.13/internal/ort
 *   gcc -O2 -I$H ort_profile.c -o /tmp/ort_profile $ORT/libonnxruntime.so.1 -Wl,-rpath,$PWD/$ORT
 *   /tmp/ort_profile /tmp/step.onnx 1 3 /tmp/prof && python3 categorize.py '/tmp/prof_*.json'
 */
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "onnxruntime_c_api.h"
const OrtApi* g;
#define CK(x) do { OrtStatus* s = (x); if (s) { fprintf(stderr, "%s: %s\n", #x, g->GetErrorMessage(s)); exit(1);} } while(0)
int main(int argc, char** argv) {
  const char* model = argv[1]; int threads = atoi(argv[2]); int runs = atoi(argv[3]); int profile = argc > 4;
  g = OrtGetApiBase()->GetApi(ORT_API_VERSION);
  OrtEnv* env; CK(g->CreateEnv(ORT_LOGGING_LEVEL_WARNING, "p", &env));
  OrtSessionOptions* so; CK(g->CreateSessionOptions(&so));
  CK(g->SetIntraOpNumThreads(so, threads));
  if (profile) CK(g->EnableProfiling(so, argv[4]));
  OrtSession* sess; CK(g->CreateSession(env, model, so, &sess));
  OrtAllocator* al; CK(g->GetAllocatorWithDefaultOptions(&al));
  size_t nin, nout; CK(g->SessionGetInputCount(sess, &nin)); CK(g->SessionGetOutputCount(sess, &nout));
  char** inNames = malloc(nin*sizeof(char*)); char** outNames = malloc(nout*sizeof(char*));
  OrtValue** ins = calloc(nin, sizeof(OrtValue*)); OrtValue** outs = calloc(nout, sizeof(OrtValue*));
  OrtMemoryInfo* mi; CK(g->CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &mi));
  srand(1);
  for (size_t i = 0; i < nin; i++) {
    CK(g->SessionGetInputName(sess, i, al, &inNames[i]));
    OrtTypeInfo* ti; CK(g->SessionGetInputTypeInfo(sess, i, &ti));
    const OrtTensorTypeAndShapeInfo* tsi; CK(g->CastTypeInfoToTensorInfo(ti, &tsi));
    ONNXTensorElementDataType et; CK(g->GetTensorElementType(tsi, &et));
    size_t nd; CK(g->GetDimensionsCount(tsi, &nd)); int64_t dims[16]; CK(g->GetDimensions(tsi, dims, nd));
    size_t n = 1; for (size_t d = 0; d < nd; d++) n *= dims[d];
    size_t es = (et == ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 || et == ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE) ? 8 : 4;
    if (et == ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL) es = 1;
    void* buf = calloc(n ? n : 1, es);
    if (et == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) for (size_t k = 0; k < n; k++) ((float*)buf)[k] = (rand() / (float)RAND_MAX - 0.5f) * 0.2f;
    if (et == ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64) for (size_t k = 0; k < n; k++) ((int64_t*)buf)[k] = 1;
    CK(g->CreateTensorWithDataAsOrtValue(mi, buf, (n ? n : 1)*es, dims, nd, et, &ins[i]));
  }
  for (size_t i = 0; i < nout; i++) CK(g->SessionGetOutputName(sess, i, al, &outNames[i]));
  struct timespec a, b;
  for (int r = 0; r < runs + 1; r++) {
    if (r == 1) clock_gettime(CLOCK_MONOTONIC, &a);
    for (size_t i = 0; i < nout; i++) if (outs[i]) { g->ReleaseValue(outs[i]); outs[i] = NULL; }
    CK(g->Run(sess, NULL, (const char* const*)inNames, (const OrtValue* const*)ins, nin, (const char* const*)outNames, nout, outs));
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("inputs %zu outputs %zu: %.1f ms/run\n", nin, nout, ((b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6) / runs);
  if (profile) { char* f; CK(g->SessionEndProfiling(sess, al, &f)); printf("profile %s\n", f); }
  return 0;
}
