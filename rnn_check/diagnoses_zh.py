"""rnn_check.diagnoses_zh: the short labels of the first problems in the grader's summary, in Chinese.

Each key is a diagnosis (judging.DIAGNOSES, judging.HINTS' keys and "{part} wrong"), the English label the CSV
keeps in every language; each value its Chinese. rnn_check.messages_zh adds them to its MESSAGES, so that
say() finds them; tests/test_check_zh.py checks that every diagnosis the code gives has one.
"""

DIAGNOSIS_LABELS = {
    "{part} wrong": "{part}有错",
    "flagged: uses the reference or project files": "已标记：使用了参考实现或项目文件",
    "flagged: behaves as rnn_core.SimpleRNN": "已标记：行为与 rnn_core.SimpleRNN 完全相同",
    "could not run": "无法运行",
    "several files": "交了多个文件",
    "unreadable file": "文件无法读取",
    "grader error": "评分程序出错",
    "disk limit": "超出磁盘限制",
    "time limit": "超出时间限制",
    "crashed or exited": "崩溃或退出",
    "unreadable results": "结果无法读取",
    "syntax error": "语法错误",
    "exit()": "调用了 exit()",
    "memory limit": "超出内存限制",
    "error while loading": "加载时出错",
    "no SimpleRNN": "没有 SimpleRNN 类",
    "no b_h": "缺少 b_h",
    "no b_y": "缺少 b_y",
    "no biases": "两个偏置都缺少",
    "no recurrence": "没有循环（未用 h_{t-1}）",
    "wrong sign": "更新方向反了",
    "not updated": "参数没有更新",
    "learning rate ignored": "忽略了学习率",
    "learning rate hard-coded": "学习率写死了",
    "averaged": "梯度取了平均",
    "updated inside the loop": "在时间循环内更新",
    "h_t in dW_hh": "dW_hh 用了 h_t",
    "no dh_next": "缺少 dh_next",
    "clipped": "梯度被裁剪",
    "state kept by forward": "forward 保留了状态",
    "state kept by backward": "backward 保留了状态",
    "float32": "float32 精度",
    "no tanh derivative": "缺少 tanh 的导数",
}
