// The reference SentencePiece (libsentencepiece, libsentencepiece_train) for the tokenizer
// tests, as a separate program: Debian's libsentencepiece exports a bundled protobuf that
// clashes with the libprotobuf LibTorch loads, so it cannot live inside test_infer.
//
//   storyreel_spm_reference train CORPUS PREFIX NORMALIZATION   -> PREFIX.model
//   storyreel_spm_reference encode MODEL IN OUT   -> per line of IN: ids<TAB>decoded ids
//   storyreel_spm_reference json MODEL OUT        -> the tokenizer.json of an identity model
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

int train(const std::string& corpus, const std::string& prefix, const std::string& rule) {
    const std::string args =
        "--input=" + corpus + " --model_prefix=" + prefix +
        " --model_type=unigram --vocab_size=400 --hard_vocab_limit=false"
        " --character_coverage=1.0 --pad_id=0 --eos_id=1 --unk_id=2"
        " --bos_id=-1 --num_threads=1 --minloglevel=1 --normalization_rule_name=" +
        rule;
    const auto status = sentencepiece::SentencePieceTrainer::Train(args);
    if (!status.ok()) {
        std::cerr << status.ToString() << "\n";
        return 1;
    }
    return 0;
}

int encode(const std::string& model, const std::string& in, const std::string& out) {
    sentencepiece::SentencePieceProcessor sp;
    if (!sp.Load(model).ok()) {
        return 1;
    }
    std::ifstream input(in);
    std::ofstream output(out);
    std::string line;
    while (std::getline(input, line)) {
        const std::vector<int> ids = sp.EncodeAsIds(line);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            output << (i > 0 ? " " : "") << ids[i];
        }
        output << "\t" << sp.DecodeIds(ids) << "\n";
    }
    return 0;
}

std::string jsonString(const std::string& text) {
    std::ostringstream out;
    out << '"';
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out << '\\' << c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out << "\\u" << std::hex << std::setw(4) << std::setfill('0') << int(c) << std::dec;
        } else {
            out << c;
        }
    }
    out << '"';
    return out.str();
}

// What transformers' SpmConverter writes for an identity-normalised model.
int json(const std::string& model, const std::string& out) {
    sentencepiece::SentencePieceProcessor sp;
    if (!sp.Load(model).ok()) {
        return 1;
    }
    std::ofstream json(out);
    json << std::setprecision(9);
    json << R"({"version":"1.0","truncation":null,"padding":null,"added_tokens":[)";
    json << R"({"id":0,"content":"<pad>","special":true},)";
    json << R"({"id":1,"content":"</s>","special":true},)";
    json << R"({"id":2,"content":"<unk>","special":true}],)";
    json << R"("normalizer":{"type":"Sequence","normalizers":[{"type":"Replace","pattern":)"
         << R"({"Regex":" {2,}"},"content":"\u2581"}]},)";
    json << R"("pre_tokenizer":{"type":"Metaspace","replacement":"\u2581",)"
         << R"("prepend_scheme":"always","split":true},)";
    json << R"("post_processor":null,"decoder":null,"model":{"type":"Unigram","unk_id":2,)"
         << R"("vocab":[)";
    for (int id = 0; id < sp.GetPieceSize(); ++id) {
        json << (id > 0 ? "," : "") << "[" << jsonString(sp.IdToPiece(id)) << "," << sp.GetScore(id)
             << "]";
    }
    json << R"(],"byte_fallback":false}})";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 4 && args[0] == "train") {
        return train(args[1], args[2], args[3]);
    }
    if (args.size() == 4 && args[0] == "encode") {
        return encode(args[1], args[2], args[3]);
    }
    if (args.size() == 3 && args[0] == "json") {
        return json(args[1], args[2]);
    }
    std::cerr << "usage: storyreel_spm_reference train|encode|json ...\n";
    return 2;
}
