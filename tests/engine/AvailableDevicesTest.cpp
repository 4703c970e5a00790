// Devices and their errors without a GPU: the CPU's bf16 detection against /proc/cpuinfo, the device
// list, device names and lists, out-of-memory messages, and the new training settings.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/project/TrainingSettings.h"
#include "engine/train/AvailableDevices.h"
#include "engine/train/CpuFastMode.h"
#include "engine/train/DeviceSelection.h"
#include "engine/train/OutOfMemory.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <cstdlib>
#include <fstream>
#include <new>

using namespace netdraft::engine;

namespace {

/// The flags line of /proc/cpuinfo with a space at both ends, so " flag " matches whole words.
std::string cpuFlags()
{
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line))
        if (line.rfind("flags", 0) == 0)
            return " " + line.substr(line.find(':') + 1) + " ";
    return {};
}

std::string errorOf(const std::string& deviceList)
{
    try {
        selectDevices(deviceList);
    } catch (const Error& error) {
        return error.what();
    }
    return "(no error)";
}

} // namespace

class AvailableDevicesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cpuFastModeMatchesProcCpuinfo()
    {
        const std::string flags = cpuFlags();
        if (flags.empty())
            QSKIP("no /proc/cpuinfo flags");
        if (const char* off = std::getenv("NETDRAFT_CPU_BF16"); off && std::string(off) == "0")
            QSKIP("NETDRAFT_CPU_BF16=0");
        const CpuFastMode& mode = cpuFastMode();
        QCOMPARE(mode.avx512Bf16, flags.find(" avx512_bf16 ") != std::string::npos);
        QCOMPARE(mode.amxBf16, flags.find(" amx_bf16 ") != std::string::npos);
        QCOMPARE(mode.supported, mode.avx512Bf16 || mode.amxBf16);
        const std::string expected = mode.supported ? "bf16 fast mode available (" : "no bf16 fast mode on this CPU (";
        QVERIFY2(mode.description.rfind(expected, 0) == 0, mode.description.c_str());
        QVERIFY(mode.description.find(mode.processor) != std::string::npos);
        if (mode.amxBf16)
            QVERIFY(mode.description.find("AMX-BF16") != std::string::npos);
    }

    void deviceListStartsWithTheCpu()
    {
        const std::vector<AvailableDevice> devices = availableDevices();
        QVERIFY(!devices.empty());
        QCOMPARE(devices.front().id, std::string("cpu"));
        QVERIFY(devices.front().description.find(cpuFastMode().description) != std::string::npos);
        const size_t cudaCount = torch::cuda::is_available() ? torch::cuda::device_count() : 0;
        QCOMPARE(devices.size(), 1 + cudaCount);
        if (cudaCount == 0) {
            QVERIFY2(cudaSummary().rfind("CPU only: no CUDA device found", 0) == 0, cudaSummary().c_str());
        } else {
            QCOMPARE(devices[1].id, std::string("cuda:0"));
            QVERIFY(devices[1].totalMemoryBytes > 0);
        }
    }

    void deviceLists_data()
    {
        QTest::addColumn<QString>("list");
        QTest::addColumn<int>("count");
        QTest::newRow("cpu") << "cpu" << 1;
        QTest::newRow("two cpu replicas") << "cpu,cpu" << 2;
        QTest::newRow("spaces") << " cpu , cpu ,cpu" << 3;
    }
    void deviceLists()
    {
        QFETCH(QString, list);
        QFETCH(int, count);
        const std::vector<torch::Device> devices = selectDevices(list.toStdString());
        QCOMPARE(static_cast<int>(devices.size()), count);
        for (const torch::Device& device : devices)
            QVERIFY(device.is_cpu());
    }

    void badDeviceNames_data()
    {
        QTest::addColumn<QString>("list");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << ""
                               << "device list '': an entry is empty";
        QTest::newRow("empty entry") << "cpu,,cpu"
                                     << "device list 'cpu,,cpu': an entry is empty";
        QTest::newRow("unknown") << "gpu"
                                 << "device 'gpu': expected cpu, cuda or cuda:K";
        QTest::newRow("bad index") << "cuda:x"
                                   << "device 'cuda:x': expected cpu, cuda or cuda:K";
        QTest::newRow("no colon") << "cuda0"
                                  << "device 'cuda0': expected cpu, cuda or cuda:K";
        QTest::newRow("unknown in a list") << "cpu,tpu"
                                           << "device 'tpu': expected cpu, cuda or cuda:K";
    }
    void badDeviceNames()
    {
        QFETCH(QString, list);
        QFETCH(QString, message);
        const std::string error = errorOf(list.toStdString());
        QVERIFY2(error.rfind(message.toStdString(), 0) == 0, error.c_str());
    }

    void cudaNamesWithoutCuda_data()
    {
        QTest::addColumn<QString>("list");
        QTest::newRow("cuda") << "cuda";
        QTest::newRow("cuda:1") << "cuda:1";
        QTest::newRow("in a list") << "cuda:0,cuda:1";
    }
    void cudaNamesWithoutCuda()
    {
        if (torch::cuda::is_available())
            QSKIP("this machine has CUDA");
        QFETCH(QString, list);
        const std::string error = errorOf(list.toStdString());
        QVERIFY2(error.find("CPU only: no CUDA device found") != std::string::npos, error.c_str());
        QVERIFY2(error.find("use --device cpu") != std::string::npos, error.c_str());
    }

    void outOfMemoryMessages()
    {
        try {
            TORCH_CHECK_WITH(OutOfMemoryError, false, "CUDA out of memory. Tried to allocate 2.00 GiB");
        } catch (const c10::Error& error) {
            const std::optional<std::string> message = outOfMemoryMessage(error, 256, "cuda:0");
            QVERIFY(message);
            QVERIFY2(message->rfind("out of memory on cuda:0 at batch size 256; try a smaller batch size such as "
                                    "128",
                         0)
                    == 0,
                message->c_str());
            QVERIFY2(message->find("Tried to allocate 2.00 GiB") != std::string::npos, message->c_str());
        }
        try { // LibTorch 1.13 throws a plain c10::Error
            TORCH_CHECK(false, "CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 7.79 GiB total capacity)");
        } catch (const c10::Error& error) {
            const std::optional<std::string> message = outOfMemoryMessage(error, 64, "cuda:1");
            QVERIFY(message);
            QVERIFY2(message->find("at batch size 64; try a smaller batch size such as 32") != std::string::npos,
                message->c_str());
        }
        const std::optional<std::string> cpu = outOfMemoryMessage(std::bad_alloc(), 1, "cpu");
        QVERIFY(cpu);
        QVERIFY2(
            cpu->find("at batch size 1; the model does not fit even one sample") != std::string::npos, cpu->c_str());
        try {
            TORCH_CHECK(false, "mat1 and mat2 shapes cannot be multiplied (64x3 and 4x5)");
        } catch (const c10::Error& error) {
            QVERIFY(!outOfMemoryMessage(error, 64, "cpu"));
        }
        QVERIFY(!outOfMemoryMessage(std::runtime_error("out of paper"), 64, "cpu"));
    }

    void newSettingsAreProjectFields_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("channels_last") << "channels_last";
        QTest::newRow("cudnn_benchmark") << "cudnn_benchmark";
        QTest::newRow("deterministic") << "deterministic";
    }
    void newSettingsAreProjectFields()
    {
        QFETCH(QString, name);
        const auto& fields = TrainingSettings::fields();
        const auto field = std::find_if(
            fields.begin(), fields.end(), [&](const auto& f) { return f.spec.name == name.toStdString(); });
        QVERIFY(field != fields.end());
        QVERIFY(field->spec.advanced);
        TrainingSettings settings;
        QCOMPARE(std::get<bool>(field->get(settings)), false);
        field->set(settings, ParamValue(true));
        QCOMPARE(std::get<bool>(field->get(settings)), true);
        QVERIFY(!(settings == TrainingSettings()));
    }
};

NETDRAFT_TEST(AvailableDevicesTest);
#include "AvailableDevicesTest.moc"
