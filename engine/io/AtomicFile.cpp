#include "engine/io/AtomicFile.h"

#include "engine/core/Error.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace netdraft::engine {

namespace fs = std::filesystem;

namespace {

std::string systemError(int error)
{
    return std::strerror(error);
}

/// Closes the descriptor and removes the temporary file unless the rename happened.
class TemporaryFile {
public:
    explicit TemporaryFile(std::string pattern)
        : path_(std::move(pattern))
    {
        fd_ = ::mkstemp(path_.data());
        created_ = fd_ >= 0;
    }
    ~TemporaryFile()
    {
        if (fd_ >= 0)
            ::close(fd_);
        if (created_ && !committed_)
            ::unlink(path_.c_str());
    }
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;

    bool isOpen() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    const std::string& path() const { return path_; }
    /// Closes explicitly, because close() can report a failed write-back (NFS, quotas).
    int close()
    {
        const int result = ::close(fd_);
        fd_ = -1;
        return result;
    }
    void committed() { committed_ = true; }

private:
    std::string path_;
    int fd_ = -1;
    bool created_ = false;
    bool committed_ = false;
};

void writeAll(int fd, std::string_view bytes, const std::string& path)
{
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR)
            continue;
        ND_CHECK(written > 0, "cannot save ", path, ": ", systemError(written < 0 ? errno : ENOSPC));
        bytes.remove_prefix(static_cast<size_t>(written));
    }
}

const char* const temporaryMarker = ".saving-";

/// Whether process `pid` still runs (EPERM: it runs under another user).
bool processRuns(long pid)
{
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

/// Makes the rename itself durable; best effort, as some file systems cannot sync folders.
void syncFolder(const fs::path& folder)
{
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

} // namespace

void writeFileAtomically(const std::string& path, std::string_view bytes)
{
    ND_CHECK(!path.empty(), "cannot save: no file name given");
    std::error_code error;
    fs::path target(path);
    if (fs::is_symlink(target, error)) {
        fs::path resolved = fs::weakly_canonical(target, error);
        if (!error)
            target = resolved;
    }
    const fs::file_status status = fs::status(target, error);
    const bool exists = fs::exists(status);
    // Renaming over a device (/dev/full) or a folder would replace it: refuse instead.
    ND_CHECK(!exists || fs::is_regular_file(status), "cannot save ", path, ": it exists and is not a regular file");
    fs::path folder = target.parent_path();
    if (folder.empty())
        folder = ".";

    removeStaleTemporaryFiles(folder.string(), target.filename().string());
    const std::string temporaryName
        = "." + target.filename().string() + temporaryMarker + std::to_string(::getpid()) + "-XXXXXX";
    TemporaryFile temporary((folder / temporaryName).string());
    const int createError = errno;
    ND_CHECK(temporary.isOpen(), "cannot save ", path, ": cannot create a file in ", folder.string(), ": ",
        systemError(createError));
    writeAll(temporary.fd(), bytes, path);
    ND_CHECK(::fsync(temporary.fd()) == 0, "cannot save ", path, ": ", systemError(errno));
    struct stat old { };
    const mode_t mode = exists && ::stat(target.c_str(), &old) == 0 ? (old.st_mode & 07777) : 0644;
    ::fchmod(temporary.fd(), mode);
    ND_CHECK(temporary.close() == 0, "cannot save ", path, ": ", systemError(errno));
    ND_CHECK(::rename(temporary.path().c_str(), target.c_str()) == 0, "cannot save ", path, ": ", systemError(errno));
    temporary.committed();
    syncFolder(folder);
}

long temporarySaveWriter(const std::string& fileName)
{
    // "." + target + ".saving-" + pid + "-" + 6 characters
    const size_t marker = fileName.rfind(temporaryMarker);
    if (fileName.size() < 2 || fileName[0] != '.' || marker == std::string::npos || marker < 2)
        return 0;
    const std::string tail = fileName.substr(marker + std::strlen(temporaryMarker));
    const size_t dash = tail.find('-');
    if (dash == std::string::npos || dash == 0 || dash > 10 || tail.size() - dash - 1 != 6)
        return 0;
    long pid = 0;
    for (size_t i = 0; i < dash; ++i) {
        if (tail[i] < '0' || tail[i] > '9')
            return 0;
        pid = pid * 10 + (tail[i] - '0');
    }
    return pid;
}

int removeStaleTemporaryFiles(const std::string& folder, const std::string& target)
{
    std::error_code error;
    fs::directory_iterator entries(folder.empty() ? fs::path(".") : fs::path(folder), error);
    if (error)
        return 0;
    const std::string prefix = target.empty() ? std::string(".") : "." + target + temporaryMarker;
    int removed = 0;
    for (const fs::directory_entry& entry : entries) {
        const std::string name = entry.path().filename().string();
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        const long pid = temporarySaveWriter(name);
        // Our own pid: a save may be running on another thread.
        if (pid <= 0 || pid == ::getpid() || processRuns(pid))
            continue;
        if (entry.is_regular_file(error) && fs::remove(entry.path(), error))
            ++removed;
    }
    return removed;
}

std::string readFileLimited(const std::string& path, std::uint64_t maxBytes)
{
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    ND_CHECK(status.type() != fs::file_type::not_found, "cannot open ", path, ": no such file");
    ND_CHECK(!error, "cannot open ", path, ": ", error.message());
    ND_CHECK(!fs::is_directory(status), "cannot open ", path, ": it is a folder, not a file");
    if (fs::is_regular_file(status)) {
        const auto size = fs::file_size(path, error);
        ND_CHECK(error || size <= maxBytes, "cannot open ", path, ": it is ", size, " bytes; the limit is ", maxBytes,
            " bytes");
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    ND_CHECK(fd >= 0, "cannot open ", path, ": ", systemError(errno));
    std::string text;
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            const int readError = got < 0 ? errno : 0;
            ::close(fd);
            ND_CHECK(got == 0, "cannot read ", path, ": ", systemError(readError));
            return text;
        }
        if (text.size() + static_cast<size_t>(got) > maxBytes) {
            ::close(fd);
            ND_CHECK(false, "cannot open ", path, ": it is larger than the limit of ", maxBytes, " bytes");
        }
        text.append(buffer, static_cast<size_t>(got));
    }
}

} // namespace netdraft::engine
