#include "s3/xml_answers.h"

#include <charconv>
#include <sstream>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include "s3/request_target.h"

namespace dataplane::s3 {
namespace {

namespace pt = boost::property_tree;

core::Error Unreadable(std::string_view answer, std::string_view why) {
  return {core::ErrorKind::kBadGateway,
          "s3_unreadable_answer",
          "S3 " + std::string(answer) + " answer: " + std::string(why),
          {}};
}

std::optional<pt::ptree> ReadXml(std::string_view xml) {
  std::istringstream in{std::string(xml)};
  pt::ptree tree;
  try {
    pt::read_xml(in, tree);
  } catch (const pt::ptree_error&) {
    return std::nullopt;
  }
  return tree;
}

// The root element named `root` of the answer to `operation`, or why there is none.
core::Result<pt::ptree> Root(std::string_view xml, const char* operation, const char* root) {
  auto tree = ReadXml(xml);
  if (!tree) return Unreadable(operation, "not well-formed XML");
  auto child = tree->get_child_optional(root);
  if (!child) return Unreadable(operation, std::string("no <") + root + "> element");
  return *child;
}

std::string Text(const pt::ptree& node, const char* name) {
  return node.get<std::string>(name, "");
}

std::optional<std::uint64_t> Number(const std::string& text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

core::Result<ListedObject> ReadContents(const pt::ptree& node, bool url_encoded) {
  ListedObject object;
  auto key = node.get_optional<std::string>("Key");
  if (!key) return Unreadable("ListObjectsV2", "<Contents> without <Key>");
  object.key = url_encoded ? UriDecode(*key) : *key;
  const auto size = Number(Text(node, "Size"));
  if (!size) return Unreadable("ListObjectsV2", "no number in <Size> of " + object.key);
  object.size = *size;
  object.etag = UnquoteEtag(Text(node, "ETag"));
  object.last_modified = Text(node, "LastModified");
  return object;
}

void AppendEscaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
}

}  // namespace

std::string UnquoteEtag(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

std::optional<ErrorBody> ParseErrorBody(std::string_view xml) {
  auto tree = ReadXml(xml);
  if (!tree) return std::nullopt;
  auto error = tree->get_child_optional("Error");
  if (!error) return std::nullopt;
  return ErrorBody{Text(*error, "Code"), Text(*error, "Message"), Text(*error, "RequestId")};
}

core::Result<ListPage> ParseListObjectsV2(std::string_view xml) {
  auto root = Root(xml, "ListObjectsV2", "ListBucketResult");
  if (!root) return root.error();
  const bool url_encoded = Text(*root, "EncodingType") == "url";
  ListPage page;
  page.truncated = Text(*root, "IsTruncated") == "true";
  page.next_continuation_token = Text(*root, "NextContinuationToken");
  if (page.truncated && page.next_continuation_token.empty()) {
    return Unreadable("ListObjectsV2", "truncated without <NextContinuationToken>");
  }
  for (const auto& [name, node] : *root) {
    if (name != "Contents") continue;
    auto object = ReadContents(node, url_encoded);
    if (!object) return object.error();
    page.objects.push_back(std::move(*object));
  }
  return page;
}

core::Result<std::string> ParseInitiateMultipartUpload(std::string_view xml) {
  auto root = Root(xml, "CreateMultipartUpload", "InitiateMultipartUploadResult");
  if (!root) return root.error();
  std::string upload_id = Text(*root, "UploadId");
  if (upload_id.empty()) return Unreadable("CreateMultipartUpload", "no <UploadId>");
  return upload_id;
}

core::Result<std::string> ParseCompleteMultipartUpload(std::string_view xml) {
  auto root = Root(xml, "CompleteMultipartUpload", "CompleteMultipartUploadResult");
  if (!root) return root.error();
  std::string etag = UnquoteEtag(Text(*root, "ETag"));
  if (etag.empty()) return Unreadable("CompleteMultipartUpload", "no <ETag>");
  return etag;
}

core::Result<std::vector<PendingUpload>> ParseListMultipartUploads(std::string_view xml) {
  auto root = Root(xml, "ListMultipartUploads", "ListMultipartUploadsResult");
  if (!root) return root.error();
  const bool url_encoded = Text(*root, "EncodingType") == "url";
  std::vector<PendingUpload> uploads;
  for (const auto& [name, node] : *root) {
    if (name != "Upload") continue;
    const std::string key = Text(node, "Key");
    uploads.push_back({url_encoded ? UriDecode(key) : key, Text(node, "UploadId")});
  }
  return uploads;
}

std::string CompleteMultipartUploadBody(const std::vector<CompletedPart>& parts) {
  std::string out = "<CompleteMultipartUpload>";
  for (const CompletedPart& part : parts) {
    out += "<Part><PartNumber>" + std::to_string(part.number) + "</PartNumber><ETag>\"";
    AppendEscaped(out, UnquoteEtag(part.etag));
    out += "\"</ETag></Part>";
  }
  out += "</CompleteMultipartUpload>";
  return out;
}

}  // namespace dataplane::s3
