/* The C surface the Rust crate calls: every XRT 2.13 call it needs, each behind a C++ try/catch so
 * that no C++ exception crosses into Rust (an exception crossing the C ABI aborts the process).
 * Each function returns 0 (or a handle) on success; on failure it returns -1 (or NULL) and writes
 * a message into `err`. */
#ifndef MMFREE_XRT_SHIM_H
#define MMFREE_XRT_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include <xrt/xrt_bo.h>
#include <xrt/xrt_device.h>
#include <xrt/xrt_kernel.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Room for one error message. */
#define MMFREE_XRT_ERR_BYTES 512

/** An error message, NUL-terminated (empty on success). */
typedef struct mmfree_xrt_err {
    char text[MMFREE_XRT_ERR_BYTES];
} mmfree_xrt_err;

/** Silences XRT's own stderr messages (its banner and `[XRT] ERROR` lines): the caller reports. */
int mmfree_xrt_quiet(mmfree_xrt_err *err);

/** Number of cards the driver enumerates (0 without a card; emulated devices are not counted). */
int mmfree_xrt_count(unsigned int *count, mmfree_xrt_err *err);

/** Name, PCI address and shell (platform) of card `index`, NUL-terminated into the buffers. */
int mmfree_xrt_card_info(unsigned int index, char *name, size_t name_len, char *bdf,
                         size_t bdf_len, char *shell, size_t shell_len, mmfree_xrt_err *err);

xrtDeviceHandle mmfree_xrt_device_open(unsigned int index, mmfree_xrt_err *err);
int mmfree_xrt_device_close(xrtDeviceHandle dev, mmfree_xrt_err *err);
/** Loads an xclbin file; its UUID is written to `uuid`. */
int mmfree_xrt_device_load_xclbin(xrtDeviceHandle dev, const char *path, xuid_t uuid,
                                  mmfree_xrt_err *err);

xrtKernelHandle mmfree_xrt_kernel_open(xrtDeviceHandle dev, const xuid_t uuid, const char *name,
                                       mmfree_xrt_err *err);
int mmfree_xrt_kernel_close(xrtKernelHandle kernel, mmfree_xrt_err *err);
/** The memory group argument `argno` connects to, into `group`. */
int mmfree_xrt_kernel_arg_group(xrtKernelHandle kernel, int argno, int *group, mmfree_xrt_err *err);

xrtBufferHandle mmfree_xrt_bo_alloc(xrtDeviceHandle dev, size_t size, unsigned int group,
                                    mmfree_xrt_err *err);
int mmfree_xrt_bo_free(xrtBufferHandle bo, mmfree_xrt_err *err);
int mmfree_xrt_bo_write(xrtBufferHandle bo, const void *src, size_t size, size_t seek,
                        mmfree_xrt_err *err);
int mmfree_xrt_bo_read(xrtBufferHandle bo, void *dst, size_t size, size_t skip, mmfree_xrt_err *err);
int mmfree_xrt_bo_sync(xrtBufferHandle bo, enum xclBOSyncDirection dir, size_t size, size_t offset,
                       mmfree_xrt_err *err);
/** The buffer's device address, into `address`. */
int mmfree_xrt_bo_address(xrtBufferHandle bo, uint64_t *address, mmfree_xrt_err *err);

xrtRunHandle mmfree_xrt_run_open(xrtKernelHandle kernel, mmfree_xrt_err *err);
int mmfree_xrt_run_close(xrtRunHandle run, mmfree_xrt_err *err);
int mmfree_xrt_run_set_bo(xrtRunHandle run, int index, xrtBufferHandle bo, mmfree_xrt_err *err);
int mmfree_xrt_run_set_u32(xrtRunHandle run, int index, uint32_t value, mmfree_xrt_err *err);
int mmfree_xrt_run_start(xrtRunHandle run, mmfree_xrt_err *err);
/** Waits up to `timeout_ms` (0: forever); the run's state (`ert_cmd_state`) goes to `state`. */
int mmfree_xrt_run_wait(xrtRunHandle run, unsigned int timeout_ms, int *state, mmfree_xrt_err *err);
/** The run's state without waiting. */
int mmfree_xrt_run_state(xrtRunHandle run, int *state, mmfree_xrt_err *err);

#ifdef __cplusplus
}
#endif

#endif
