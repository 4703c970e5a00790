#include "tests/app/TorchScriptFixture.h"

#include "engine/export/TorchScriptExport.h"
#include "engine/io/StateDict.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/train/FineTuning.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <QStringList>

#include <limits>

namespace netdraft::tests {

namespace {

constexpr int64_t kFeatures = 6;
constexpr int64_t kHidden = 8;
constexpr int64_t kClasses = 3;

torch::jit::Module linear(const std::string& className, int64_t in, int64_t out)
{
    torch::jit::Module module(className);
    module.register_parameter("weight", torch::randn({ out, in }), false);
    module.register_parameter("bias", torch::randn({ out }), false);
    module.define("def forward(self, x):\n    return torch.linear(x, self.weight, self.bias)\n");
    return module;
}

/// One instance of the repeated class: x + relu(fc(x)).
torch::jit::Module residual()
{
    torch::jit::Module module("Residual");
    module.register_module("fc", linear("Linear", kHidden, kHidden));
    module.define("def forward(self, x):\n    y = torch.relu(self.fc.forward(x))\n    return x + y\n");
    return module;
}

} // namespace

TorchScriptFixture writeResidualMlp(const QString& path)
{
    torch::manual_seed(7);
    torch::jit::Module net("ResidualMlp");
    net.register_module("stem", linear("Linear", kFeatures, kHidden));
    net.register_module("block1", residual());
    net.register_module("block2", residual());
    net.register_module("head", linear("Linear", kHidden, kClasses));
    net.define("def forward(self, x):\n"
               "    x = torch.relu(self.stem.forward(x))\n"
               "    x = self.block1.forward(x)\n"
               "    x = self.block2.forward(x)\n"
               "    return self.head.forward(x)\n");
    net.save(path.toStdString());
    TorchScriptFixture fixture;
    fixture.path = path;
    fixture.inputFeatures = kFeatures;
    for (const auto& parameter : net.parameters())
        fixture.parameterCount += parameter.numel();
    fixture.residualBlocks = 2;
    return fixture;
}

void writeUnsupportedOpModel(const QString& path)
{
    torch::jit::Module net("SineNet");
    net.register_module("fc", linear("Linear", kFeatures, kHidden));
    net.define("def forward(self, x):\n    return torch.sin(self.fc.forward(x))\n");
    net.save(path.toStdString());
}

void writeConvModel(const QString& path)
{
    torch::jit::Module conv("Conv2d");
    conv.register_parameter("weight", torch::randn({ 4, 2, 3, 3 }), false);
    conv.register_parameter("bias", torch::randn({ 4 }), false);
    conv.define("def forward(self, x):\n"
                "    return torch.conv2d(x, self.weight, self.bias, [1, 1], [1, 1], [1, 1], 1)\n");
    torch::jit::Module net("ConvNet");
    net.register_module("conv", conv);
    net.register_module("head", linear("Linear", 4, kClasses));
    net.define("def forward(self, x):\n"
               "    x = torch.relu(self.conv.forward(x))\n"
               "    x = torch.mean(x, [2, 3])\n"
               "    return self.head.forward(x)\n");
    net.save(path.toStdString());
}

QString compareParameters(const QString& modulePath, const QString& weightsPath)
{
    const torch::jit::Module module = torch::jit::load(modulePath.toStdString());
    const engine::NamedTensors file = engine::readTensorDictFile(weightsPath.toStdString());
    std::vector<bool> used(file.size(), false);
    QStringList problems;
    int parameters = 0;
    for (const auto& parameter : module.named_parameters()) {
        ++parameters;
        int matches = 0;
        for (size_t i = 0; i < file.size(); ++i) {
            const torch::Tensor& tensor = file[i].second;
            if (tensor.sizes() == parameter.value.sizes() && torch::equal(tensor, parameter.value)) {
                ++matches;
                used[i] = true;
            }
        }
        if (matches != 1)
            problems << QStringLiteral("%1: %2 equal tensors in the weights file")
                            .arg(QString::fromStdString(parameter.name))
                            .arg(matches);
    }
    for (size_t i = 0; i < file.size(); ++i)
        if (!used[i] && !file[i].first.empty() && file[i].first.find("running_") == std::string::npos
            && file[i].first.find("num_batches") == std::string::npos)
            problems << QStringLiteral("%1: not a parameter of the module").arg(QString::fromStdString(file[i].first));
    if (parameters == 0)
        problems << QStringLiteral("the module has no parameters");
    return problems.join('\n');
}

double largestOutputDifference(const QString& modulePath, const engine::Project& project, const QString& weightsPath)
{
    torch::jit::Module module = torch::jit::load(modulePath.toStdString());
    module.eval();
    const engine::CompiledNetwork network = engine::CompiledNetwork::compile(project);
    engine::GraphModel model = engine::buildModel(network, 1);
    engine::importMatchingWeightsFile(*model, weightsPath.toStdString());
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor input = torch::randn({ 4, kFeatures });
    const torch::Tensor expected = module.forward({ input }).toTensor();
    const torch::Tensor actual = model->forward(input);
    if (expected.sizes() != actual.sizes())
        return std::numeric_limits<double>::infinity();
    return (expected - actual).abs().max().item<double>();
}

void writeNetdraftExport(const QString& path, const engine::Project& project, const std::string& projectText)
{
    const engine::CompiledNetwork network = engine::CompiledNetwork::compile(project);
    engine::GraphModel model = engine::buildModel(network, 1);
    engine::ExportMetadata metadata = engine::metadataOf(network);
    metadata.project = projectText;
    engine::exportTorchScript(network, *model, metadata, path.toStdString());
}

} // namespace netdraft::tests
