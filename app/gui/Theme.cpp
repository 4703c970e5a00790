#include "app/gui/Theme.h"

#include <QFile>

// Resources compiled into a static library must be registered by hand.
static void initNetdraftResources()
{
    Q_INIT_RESOURCE(netdraft);
}

namespace netdraft::app {

void initResources()
{
    static const bool done = (initNetdraftResources(), true);
    (void)done;
}

bool isDarkPalette(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QString themeStyleSheet(const QPalette& palette)
{
    QFile file(isDarkPalette(palette) ? QStringLiteral(":/styles/dark.qss") : QStringLiteral(":/styles/light.qss"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

QIcon applicationIcon()
{
    return QIcon(QStringLiteral(":/icons/netdraft.png"));
}

} // namespace netdraft::app
