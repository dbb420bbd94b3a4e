#include "ui/browser/harness_server.h"

#include <stdexcept>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTcpSocket>

namespace gapscope::browser {
namespace {

constexpr qint64 kMaxRequestBytes = 16 * 1024;  // a GET line and headers; anything bigger is not ours

QByteArray content_type(const QString& path) {
  static const QList<QPair<QString, QByteArray>> types = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".wasm", "application/wasm"},         {".json", "application/json"},
      {".md", "text/plain; charset=utf-8"},  {".css", "text/css"}};
  for (const auto& [suffix, type] : types)
    if (path.endsWith(suffix)) return type;
  return "application/octet-stream";
}

QByteArray response(int status, const QByteArray& reason, const QByteArray& type, const QByteArray& body) {
  QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " " + reason + "\r\n";
  out += "Content-Type: " + type + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
  out += "Cross-Origin-Opener-Policy: same-origin\r\nCross-Origin-Embedder-Policy: require-corp\r\n";
  out += "Cross-Origin-Resource-Policy: same-origin\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
  return out + body;
}

}  // namespace

HarnessServer::HarnessServer(const QString& web_root, QObject* parent)
    : QObject(parent), root_(QDir(web_root).canonicalPath() + "/") {
  if (!server_.listen(QHostAddress::LocalHost, 0))
    throw std::runtime_error("cannot serve the web harness on 127.0.0.1: " + server_.errorString().toStdString());
  connect(&server_, &QTcpServer::newConnection, this, &HarnessServer::onConnection);
}

QUrl HarnessServer::baseUrl() const { return QUrl(QString("http://127.0.0.1:%1/").arg(server_.serverPort())); }

QUrl HarnessServer::urlFor(const QString& relative_path) const { return baseUrl().resolved(QUrl(relative_path)); }

bool HarnessServer::serves(const QUrl& url) const {
  return url.scheme() == "http" && url.host() == "127.0.0.1" && url.port() == server_.serverPort();
}

QString HarnessServer::publish(const QString& name, QByteArray bytes) {
  const QString path = QString("/job/%1/%2").arg(++published_count_).arg(name);
  published_.insert(path, std::move(bytes));
  return path;
}

void HarnessServer::withdrawAll() { published_.clear(); }

void HarnessServer::onConnection() {
  while (QTcpSocket* socket = server_.nextPendingConnection()) {
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
      if (socket->property("answered").toBool()) return;
      QByteArray request = socket->property("request").toByteArray() + socket->readAll();
      if (!request.contains("\r\n\r\n")) {
        if (request.size() > kMaxRequestBytes) socket->abort();
        else socket->setProperty("request", request);
        return;
      }
      socket->setProperty("answered", true);
      const QList<QByteArray> line = request.left(request.indexOf("\r\n")).split(' ');
      QByteArray reply;
      if (line.size() != 3 || line[0] != "GET") {
        reply = response(405, "Method Not Allowed", "text/plain", "only GET\n");
      } else {
        const QString path = QUrl(QString::fromUtf8(line[1])).path(QUrl::FullyDecoded);
        // Canonical, so ".." and symlinks cannot leave the root.
        const QString file = QFileInfo(root_ + path).canonicalFilePath();
        QFile in(file);
        if (const auto blob = published_.constFind(path); blob != published_.constEnd())
          reply = response(200, "OK", "application/octet-stream", *blob);
        else if (file.isEmpty() || !file.startsWith(root_) || !QFileInfo(file).isFile() || !in.open(QIODevice::ReadOnly))
          reply = response(404, "Not Found", "text/plain", "not found\n");
        else
          reply = response(200, "OK", content_type(file), in.readAll());
      }
      socket->write(reply);
      socket->disconnectFromHost();
    });
  }
}

}  // namespace gapscope::browser
