#pragma once
// qcustomplot.h spells Qt's keywords (signals, slots, emit, foreach), which QT_NO_KEYWORDS turns off
// for the widgets library because LibTorch uses them as identifiers. Files that draw with QCustomPlot
// include no LibTorch, so the keywords are lent to this header only; include it instead of
// <qcustomplot.h>.
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
