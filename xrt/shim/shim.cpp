// Every XRT call of the crate behind try/catch (see shim.h): a C++ exception becomes -1 or NULL
// and a message, never an abort of the Rust process.
#include "shim.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include <experimental/xrt_ini.h>
#include <experimental/xrt_system.h>
#include <xrt/xrt_device.h>

namespace {

void set_err(mmfree_xrt_err *err, const char *what, const std::string &why) {
    if (err != nullptr) {
        std::snprintf(err->text, sizeof err->text, "%s: %s", what, why.c_str());
    }
}

void clear_err(mmfree_xrt_err *err) {
    if (err != nullptr) {
        err->text[0] = '\0';
    }
}

// Runs `f` (returning an int status) with every exception turned into -1 and a message.
template <typename F> int guarded(const char *what, mmfree_xrt_err *err, F f) {
    clear_err(err);
    try {
        errno = 0;
        int rc = f();
        if (rc != 0 && err != nullptr && err->text[0] == '\0') {
            set_err(err, what, errno != 0 ? std::strerror(errno) : "failed");
        }
        return rc == 0 ? 0 : -1;
    } catch (const std::exception &e) {
        set_err(err, what, std::string("threw: ") + e.what());
    } catch (...) {
        set_err(err, what, "threw an unknown exception");
    }
    return -1;
}

// Runs `f` (returning a handle) with every exception or NULL turned into NULL and a message.
template <typename F> void *guarded_handle(const char *what, mmfree_xrt_err *err, F f) {
    void *handle = nullptr;
    int rc = guarded(what, err, [&] {
        handle = f();
        return handle == nullptr ? -1 : 0;
    });
    if (rc != 0 && err != nullptr && std::strstr(err->text, "threw") == nullptr) {
        set_err(err, what,
                std::string("returned no handle: ") +
                    (errno != 0 ? std::strerror(errno) : "unknown reason"));
    }
    return rc == 0 ? handle : nullptr;
}

void copy_out(const std::string &s, char *out, size_t len) {
    if (out != nullptr && len > 0) {
        std::snprintf(out, len, "%s", s.c_str());
    }
}

} // namespace

extern "C" {

int mmfree_xrt_quiet(mmfree_xrt_err *err) {
    return guarded("xrt::ini::set(Runtime.verbosity)", err, [] {
        xrt::ini::set("Runtime.verbosity", 0);
        return 0;
    });
}

int mmfree_xrt_count(unsigned int *count, mmfree_xrt_err *err) {
    return guarded("xrt::system::enumerate_devices", err, [&] {
        *count = xrt::system::enumerate_devices();
        return 0;
    });
}

int mmfree_xrt_card_info(unsigned int index, char *name, size_t name_len, char *bdf,
                         size_t bdf_len, char *shell, size_t shell_len, mmfree_xrt_err *err) {
    return guarded("xrt::device::get_info", err, [&] {
        xrt::device device(index);
        copy_out(device.get_info<xrt::info::device::name>(), name, name_len);
        copy_out(device.get_info<xrt::info::device::bdf>(), bdf, bdf_len);
        copy_out(device.get_info<xrt::info::device::platform>(), shell, shell_len);
        return 0;
    });
}

xrtDeviceHandle mmfree_xrt_device_open(unsigned int index, mmfree_xrt_err *err) {
    return guarded_handle("xrtDeviceOpen", err, [&] { return xrtDeviceOpen(index); });
}

int mmfree_xrt_device_close(xrtDeviceHandle dev, mmfree_xrt_err *err) {
    return guarded("xrtDeviceClose", err, [&] { return xrtDeviceClose(dev); });
}

int mmfree_xrt_device_load_xclbin(xrtDeviceHandle dev, const char *path, xuid_t uuid,
                                  mmfree_xrt_err *err) {
    return guarded("xrtDeviceLoadXclbinFile", err, [&] {
        int rc = xrtDeviceLoadXclbinFile(dev, path);
        if (rc != 0) {
            return rc;
        }
        return xrtDeviceGetXclbinUUID(dev, uuid);
    });
}

xrtKernelHandle mmfree_xrt_kernel_open(xrtDeviceHandle dev, const xuid_t uuid, const char *name,
                                       mmfree_xrt_err *err) {
    return guarded_handle("xrtPLKernelOpen", err,
                          [&] { return xrtPLKernelOpen(dev, uuid, name); });
}

int mmfree_xrt_kernel_close(xrtKernelHandle kernel, mmfree_xrt_err *err) {
    return guarded("xrtKernelClose", err, [&] { return xrtKernelClose(kernel); });
}

int mmfree_xrt_kernel_arg_group(xrtKernelHandle kernel, int argno, int *group,
                                mmfree_xrt_err *err) {
    return guarded("xrtKernelArgGroupId", err, [&] {
        *group = xrtKernelArgGroupId(kernel, argno);
        return *group < 0 ? -1 : 0;
    });
}

xrtBufferHandle mmfree_xrt_bo_alloc(xrtDeviceHandle dev, size_t size, unsigned int group,
                                    mmfree_xrt_err *err) {
    return guarded_handle("xrtBOAlloc", err,
                          [&] { return xrtBOAlloc(dev, size, XRT_BO_FLAGS_NONE, group); });
}

int mmfree_xrt_bo_free(xrtBufferHandle bo, mmfree_xrt_err *err) {
    return guarded("xrtBOFree", err, [&] { return xrtBOFree(bo); });
}

int mmfree_xrt_bo_write(xrtBufferHandle bo, const void *src, size_t size, size_t seek,
                        mmfree_xrt_err *err) {
    return guarded("xrtBOWrite", err, [&] { return xrtBOWrite(bo, src, size, seek); });
}

int mmfree_xrt_bo_read(xrtBufferHandle bo, void *dst, size_t size, size_t skip,
                       mmfree_xrt_err *err) {
    return guarded("xrtBORead", err, [&] { return xrtBORead(bo, dst, size, skip); });
}

int mmfree_xrt_bo_sync(xrtBufferHandle bo, enum xclBOSyncDirection dir, size_t size, size_t offset,
                       mmfree_xrt_err *err) {
    return guarded("xrtBOSync", err, [&] { return xrtBOSync(bo, dir, size, offset); });
}

int mmfree_xrt_bo_address(xrtBufferHandle bo, uint64_t *address, mmfree_xrt_err *err) {
    return guarded("xrtBOAddress", err, [&] {
        *address = xrtBOAddress(bo);
        return 0;
    });
}

xrtRunHandle mmfree_xrt_run_open(xrtKernelHandle kernel, mmfree_xrt_err *err) {
    return guarded_handle("xrtRunOpen", err, [&] { return xrtRunOpen(kernel); });
}

int mmfree_xrt_run_close(xrtRunHandle run, mmfree_xrt_err *err) {
    return guarded("xrtRunClose", err, [&] { return xrtRunClose(run); });
}

int mmfree_xrt_run_set_bo(xrtRunHandle run, int index, xrtBufferHandle bo, mmfree_xrt_err *err) {
    return guarded("xrtRunSetArg", err, [&] { return xrtRunSetArg(run, index, bo); });
}

int mmfree_xrt_run_set_u32(xrtRunHandle run, int index, uint32_t value, mmfree_xrt_err *err) {
    return guarded("xrtRunSetArg", err, [&] { return xrtRunSetArg(run, index, value); });
}

int mmfree_xrt_run_start(xrtRunHandle run, mmfree_xrt_err *err) {
    return guarded("xrtRunStart", err, [&] { return xrtRunStart(run); });
}

int mmfree_xrt_run_wait(xrtRunHandle run, unsigned int timeout_ms, int *state,
                        mmfree_xrt_err *err) {
    return guarded("xrtRunWait", err, [&] {
        *state = static_cast<int>(timeout_ms == 0 ? xrtRunWait(run) : xrtRunWaitFor(run, timeout_ms));
        return 0;
    });
}

int mmfree_xrt_run_state(xrtRunHandle run, int *state, mmfree_xrt_err *err) {
    return guarded("xrtRunState", err, [&] {
        *state = static_cast<int>(xrtRunState(run));
        return 0;
    });
}

} // extern "C"
