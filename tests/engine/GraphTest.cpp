// The graph document: ids, connections, structural checks.

#include "engine/core/Error.h"
#include "engine/graph/Graph.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;

class GraphTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void addFindRemove()
    {
        Graph graph;
        graph.addBlock({"a", "ReLU", "", {}, {}});
        graph.addBlock({"b", "ReLU", "", {}, {}});
        graph.connect({{"a", "out"}, {"b", "in"}});
        QVERIFY(graph.findBlock("a"));
        QCOMPARE(graph.connections().size(), size_t(1));
        auto removed = graph.removeBlock("a");
        QCOMPARE(removed.size(), size_t(1));
        QVERIFY(!graph.findBlock("a"));
        QVERIFY(graph.connections().empty());
    }

    void rejectsBadIds_data()
    {
        QTest::addColumn<QString>("id");
        QTest::newRow("empty") << "";
        QTest::newRow("digit first") << "1conv";
        QTest::newRow("dot") << "conv.1";
        QTest::newRow("space") << "conv 1";
        QTest::newRow("too long") << QString(65, 'a');
    }
    void rejectsBadIds()
    {
        QFETCH(QString, id);
        Graph graph;
        QVERIFY_THROWS_EXCEPTION(Error, graph.addBlock({id.toStdString(), "ReLU", "", {}, {}}));
    }

    void rejectsDuplicateIdAndSecondConnectionIntoAPort()
    {
        Graph graph;
        graph.addBlock({"a", "ReLU", "", {}, {}});
        graph.addBlock({"b", "ReLU", "", {}, {}});
        graph.addBlock({"c", "ReLU", "", {}, {}});
        QVERIFY_THROWS_EXCEPTION(Error, graph.addBlock({"a", "ReLU", "", {}, {}}));
        graph.connect({{"a", "out"}, {"c", "in"}});
        try {
            graph.connect({{"b", "out"}, {"c", "in"}});
            QFAIL("second connection into one port was accepted");
        } catch (const Error& error) {
            QVERIFY(std::string(error.what()).find("already connected") != std::string::npos);
        }
        QVERIFY_THROWS_EXCEPTION(Error, graph.connect({{"a", "out"}, {"missing", "in"}}));
    }

    void renameRewritesConnections()
    {
        Graph graph;
        graph.addBlock({"a", "ReLU", "", {}, {}});
        graph.addBlock({"b", "ReLU", "", {}, {}});
        graph.connect({{"a", "out"}, {"b", "in"}});
        graph.renameBlock("a", "first");
        QCOMPARE(graph.connections().front().from.block, std::string("first"));
    }

    void uniqueIds()
    {
        Graph graph;
        graph.addBlock({"conv1", "Conv2d", "", {}, {}});
        QCOMPARE(graph.uniqueId("conv"), std::string("conv2"));
    }
};

NETDRAFT_TEST(GraphTest);
#include "GraphTest.moc"
