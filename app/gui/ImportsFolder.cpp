#include "app/gui/ImportsFolder.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>

namespace netdraft::app::importsFolder {

namespace {

/// "resnet18-20261204-134501-123": the name ModelImportRunner gives an import's folder.
bool looksLikeAnImport(const QString& name)
{
    static const QRegularExpression pattern(QStringLiteral("^.+-\\d{8}-\\d{6}-\\d{3}$"));
    return pattern.match(name).hasMatch();
}

/// What an import writes into its folder: the project, its weights and an atomic save's temporary file.
bool writtenByAnImport(const QString& fileName)
{
    return fileName.endsWith(QLatin1String(".netdraft")) || fileName.endsWith(QLatin1String(".weights.pt"))
        || fileName.contains(QLatin1String(".saving-"));
}

bool holdsAny(const QString& folder, const QStringList& files)
{
    const QString prefix = QDir::cleanPath(QFileInfo(folder).absoluteFilePath()) + QLatin1Char('/');
    for (const QString& file : files)
        if (QDir::cleanPath(file).startsWith(prefix))
            return true;
    return false;
}

bool removeUnlessNamed(const QString& root, const QString& folder, const QStringList& named)
{
    const QFileInfo info(folder);
    if (!info.isDir() || QDir::cleanPath(info.absolutePath()) != QDir::cleanPath(QFileInfo(root).absoluteFilePath())
        || !looksLikeAnImport(info.fileName()) || holdsAny(folder, named))
        return !info.exists();
    QDir dir(folder);
    for (const QFileInfo& file : dir.entryInfoList(QDir::Files | QDir::Hidden | QDir::System))
        if (writtenByAnImport(file.fileName()))
            QFile::remove(file.absoluteFilePath());
    return QDir(info.absolutePath()).rmdir(info.fileName()); // fails, as it should, when anything else is left
}

} // namespace

QStringList weightsNamedBy(const QStringList& projectPaths)
{
    QStringList named;
    for (const QString& path : projectPaths) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonDocument json = QJsonDocument::fromJson(file.readAll());
        const QString weights = json.object().value(QStringLiteral("initial_weights")).toString();
        if (!weights.isEmpty())
            named << QDir::cleanPath(QFileInfo(path).absoluteDir().absoluteFilePath(weights));
    }
    return named;
}

QStringList recoveryFiles()
{
    const QDir folder(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/recovery"));
    QStringList files;
    for (const QFileInfo& file : folder.entryInfoList({ QStringLiteral("*.netdraft") }, QDir::Files))
        files << file.absoluteFilePath();
    return files;
}

bool removeIfUnused(const QString& root, const QString& folder, const QStringList& inUse)
{
    return removeUnlessNamed(root, folder, inUse + weightsNamedBy(recoveryFiles()));
}

int removeStale(const QString& root, const QDateTime& before, const QStringList& inUse)
{
    const QStringList named = inUse + weightsNamedBy(recoveryFiles());
    int removed = 0;
    for (const QFileInfo& folder : QDir(root).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (folder.lastModified() >= before || !looksLikeAnImport(folder.fileName()))
            continue;
        removed += removeUnlessNamed(root, folder.absoluteFilePath(), named) ? 1 : 0;
    }
    return removed;
}

} // namespace netdraft::app::importsFolder
