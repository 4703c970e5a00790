#pragma once
// Runs one export (engine/export/ExportService) on a worker thread, so that the window stays
// responsive while TorchScript is traced, verified and written; the outcome comes back as a signal.

#include "engine/export/ExportService.h"

#include <QObject>
#include <QStringList>

class QThread;

namespace netdraft::app {

class ExportRunner : public QObject {
    Q_OBJECT
public:
    explicit ExportRunner(QObject* parent = nullptr);
    /// Waits for a running export: its files must not be cut off half written.
    ~ExportRunner() override;

    /// Starts `request` on a new thread; false when an export is already running.
    bool start(engine::ExportRequest request);
    bool isRunning() const { return thread_ != nullptr; }
    /// Blocks until the running export (if any) ended; its finished() signal is still delivered.
    void wait();

Q_SIGNALS:
    void runningChanged(bool running);
    /// `ok` false: `message` is the engine's error. `notes` are the report's notes and warnings.
    void finished(bool ok, const QString& message, const QStringList& notes, const QStringList& files);

private:
    QThread* thread_ = nullptr;
};

} // namespace netdraft::app
