"""rnn_check.messages_zh: the checker's words in Chinese, one entry per English template.

Each key is an English template exactly as the code says it (rnn_check.messages.say), each value its
Chinese, with the same {fields}. The terms are the series' glossary (rnn_viz.language.GLOSSARY): 梯度,
时间步, 隐藏状态, 损失, 权重, 偏置, 学习率, 前向传播, 时间反向传播, 作业, 提交, 评分器, 练习 ...
Code (names, formulas, shapes) stays as it is. tests/test_check_zh.py checks that every template the
checker can produce is here, with the same fields.
"""

from rnn_check.diagnoses_zh import DIAGNOSIS_LABELS

MESSAGES = {
    # The report of rnn_check.check (judging.CheckResult) and its words for a result
    "Checking SimpleRNN against rnn_core on {count} cases, (I, H, O, T) = {sizes};": (
        "正在用 {count} 个用例将 SimpleRNN 与 rnn_core 对照检查，(I, H, O, T) = {sizes}；"
    ),
    "the checker sets the weights and biases itself.": "权重和偏置由检查器自己设置。",
    "Not graded ({status}): {feedback}": "未评分（{status}）：{feedback}",
    "Score: {score}/{max_score}": "得分：{score}/{max_score}",
    "ok     ": "正确   ",
    "WRONG  ": "错误   ",
    "  (not checked: an earlier part failed)": "  （未检查：前面的部分有错）",
    "All checks passed: forward and one BPTT + SGD step match rnn_core on every case.": (
        "全部检查通过：在每个用例上，前向传播和一步时间反向传播 + SGD 都与 rnn_core 一致。"
    ),
    " (case {case}: {sizes})": "（用例 {case}：{sizes}）",
    "First problem: {part}{where}": "第一个问题：{part}{where}",
    "Hint: {hint}": "提示：{hint}",
    "passed": "通过",
    "failed": "未通过",
    "error": "错误",
    "flagged": "已标记",
    "initial shapes": "初始形状",
    "forward outputs": "前向输出",
    "hidden states": "隐藏状态",
    "{parameter} update": "{parameter} 的更新",
    "all checks passed": "全部检查通过",
    "a hidden case": "一个隐藏用例",
    "case {case}": "用例 {case}",
    "case {case}, from t = {step}": "用例 {case}，从 t = {step} 起",
    "{part} wrong ({where}): {detail}": "{part}有错（{where}）：{detail}",
    "The grader blocked: {what}.": "评分器阻止了：{what}。",
    "no answer": "没有答案",
    # What went wrong in a run of the student's class (judging)
    "creating the model": "SimpleRNN(I, H, O)",  # "{stage} 引发了": the call that made the model raised
    "forward": "forward()",
    "backward": "backward()",
    "the second forward": "第二次 forward()",
    "the second backward": "第二次 backward()",
    "{stage}: {message}, which ends the program.": "{stage}：{message}，这会结束程序。",
    "{stage} raised {kind}: {message}": "{stage} 引发了 {kind}：{message}",
    "at {where} of your code: {code}": "位于你的代码的{where}：{code}",
    "code cell {cell}, line {line}": "第 {cell} 个代码单元格第 {line} 行",
    "line {line}": "第 {line} 行",
    "could not be read": "无法读取",
    "{label}[{position}]: expected {expected}, you gave {given}": (
        "{label}[{position}]：应为 {expected}，你给出的是 {given}"
    ),
    " ({count} value(s) are NaN or infinite)": "（有 {count} 个值是 NaN 或无穷大）",
    " (a precision difference: {label} differs from rnn_core by at most {gap:.2e}, {reason})": (
        "（精度差异：{label}与 rnn_core 最多相差 {gap:.2e}，{reason}）"
    ),
    "the output": "输出",
    "the update": "更新量",
    "your arrays are float32": "你的数组是 float32",
    "the arrays were float32": "数组是 float32",
    "the difference is at float32's rounding level (your numbers went through float32)": (
        "差异处在 float32 的舍入水平（你的数经过了 float32）"
    ),
    "This part is still a TODO: write it, run the cell with your class again, then check again.": (
        "这一部分还是 TODO：写好它，重新运行含有你的类的单元格，然后再检查一次。"
    ),
    "{name} {problem} (expected a NumPy array of shape {shape})": (
        "{name} {problem}（应为形状为 {shape} 的 NumPy 数组）"
    ),
    "{name} has shape {shape}, expected {expected}": "{name} 的形状是 {shape}，应为 {expected}",
    (
        "With SimpleRNN(input_size=I, hidden_size=H, output_size=O): W_xh (H, I), W_hh (H, H), W_hy (O, "
        "H), b_h (H, 1), b_y (O, 1)."
    ): (
        "对 SimpleRNN(input_size=I, hidden_size=H, output_size=O)：W_xh (H, I)，W_hh (H, H)，W_hy (O, "
        "H)，b_h (H, 1)，b_y (O, 1)。"
    ),
    "called a second time on the same model: {error}": "在同一个模型上第二次调用时：{error}",
    "on a second forward() of the same model, with the same weights: {problem}": (
        "在同一个模型上、用相同的权重第二次调用 forward() 时：{problem}"
    ),
    "on a second forward() and backward() of the same model, with the same weights: {problem}": (
        "在同一个模型上、用相同的权重第二次调用 forward() 和 backward() 时：{problem}"
    ),
    "forward returned something that {problem}; expected an array of shape {shape}.": (
        "forward 返回的东西{problem}；应为形状为 {shape} 的数组。"
    ),
    (
        "forward returned shape {shape}; expected (T, O, 1) = {expected}, like np.array(outputs) with "
        "each y_t a column (O, 1)."
    ): (
        "forward 返回的形状是 {shape}；应为 (T, O, 1) = {expected}，就像 np.array(outputs)，其中每个 "
        "y_t 都是一列 (O, 1)。"
    ),
    (
        "Compare your loop with h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h), y_t = W_hy h_t + b_y, from h = "
        "0. (The checker sets self.W_xh, self.W_hh, self.W_hy, self.b_h, self.b_y after creating the "
        "model: forward must use these attributes.)"
    ): (
        "把你的循环与 h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)、y_t = W_hy h_t + b_y（从 h = 0 开始）"
        "对照。（检查器在创建模型之后设置 self.W_xh、self.W_hh、self.W_hy、self.b_h、self.b_y："
        "forward 必须使用这些属性。）"
    ),
    "y_t first differs at t = {step}: {difference}": "y_t 在 t = {step} 处第一次出现差异：{difference}",
    (
        "last_hiddens {problem}; after forward(x) it should hold the T+1 hidden states (H, 1): the zero "
        "start state, then h_0 .. h_{T-1}."
    ): (
        "last_hiddens {problem}；forward(x) 之后它应保存 T+1 个隐藏状态 (H, 1)：先是零初始状态，"
        "然后是 h_0 .. h_{T-1}。"
    ),
    "Start the list with the zero state: self.last_hiddens = [h] before the loop.": (
        "列表应以零状态开头：在循环之前写 self.last_hiddens = [h]。"
    ),
    "last_hiddens has shape {shape}; expected (T+1, H, 1) = {expected}.": (
        "last_hiddens 的形状是 {shape}；应为 (T+1, H, 1) = {expected}。"
    ),
    "last_hiddens[0], the start state, should be zeros: {difference}": (
        "初始状态 last_hiddens[0] 应全为零：{difference}"
    ),
    "h_{step} = last_hiddens[{index}] first differs, at t = {step}: {difference}": (
        "h_{step} = last_hiddens[{index}] 第一次出现差异，在 t = {step} 处：{difference}"
    ),
    "h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h), appended after each step.": (
        "h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)，每个时间步之后追加到列表中。"
    ),
    "after backward(), {name} {problem}.": "backward() 之后，{name} {problem}。",
    "after backward(), {name} has shape {shape}; expected {expected}.": (
        "backward() 之后，{name} 的形状是 {shape}；应为 {expected}。"
    ),
    " after one backward(x, y, learning_rate={lr})": "（一次 backward(x, y, learning_rate={lr}) 之后）",
    "Where: {name} is already wrong on a one-step sequence, at t = 0.": (
        "位置：{name} 在只有一个时间步的序列上就已经错了，即 t = 0。"
    ),
    (
        "Where: {name} is right on the first {step} time step(s) ({steps}) and departs once the sequence "
        "includes t = {step}."
    ): ("位置：{name} 在前 {step} 个时间步（{steps}）上是对的，序列一包含 t = {step} 就出现偏差。"),
    (
        "rnn_core's trace there: dh_next at t = {previous}, the gradient coming back from t = {step}, has "
        "norm {norm:.3f}."
    ): (
        "rnn_core 在那里的记录：t = {previous} 处的 dh_next，即从 t = {step} 传回的梯度，范数为 {norm:.3f}。"
    ),
    "right on the public cases but not on a case drawn at grading time ({case}): {problem}": (
        "在公开用例上正确，但在评分时抽取的用例（{case}）上不正确：{problem}"
    ),
    (
        "flagged: the submission tried to use the reference implementation or the project's files "
        "({what}); it must implement SimpleRNN itself."
    ): ("已标记：该提交试图使用参考实现或本项目的文件（{what}）；它必须自己实现 SimpleRNN。"),
    (
        "flagged: this SimpleRNN behaves exactly like rnn_core.SimpleRNN, error messages included: it "
        "re-exports or copies the reference instead of implementing forward and backward."
    ): (
        "已标记：这个 SimpleRNN 的行为与 rnn_core.SimpleRNN 完全相同，连错误信息也一样："
        "它重新导出或复制了参考实现，而不是自己实现 forward 和 backward。"
    ),
    # The hints for the common mistakes (judging.HINTS)
    "The hidden state is computed without b_h: h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h).": (
        "计算隐藏状态时没有用 b_h：h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)。"
    ),
    "The output is computed without b_y: y_t = W_hy h_t + b_y.": (
        "计算输出时没有用 b_y：y_t = W_hy h_t + b_y。"
    ),
    "Both biases are missing: h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h) and y_t = W_hy h_t + b_y.": (
        "两个偏置都缺了：h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)，y_t = W_hy h_t + b_y。"
    ),
    (
        "h_t does not use the previous state: the term W_hh h_{t-1} is missing (start from h = 0 and "
        "carry h from one step to the next)."
    ): (
        "h_t 没有用到上一个状态：缺少 W_hh h_{t-1} 这一项（从 h = 0 开始，并把 h "
        "从一个时间步带到下一个时间步）。"
    ),
    (
        "The update goes uphill: it adds learning_rate * gradient. Gradient descent subtracts it: W <- W "
        "- learning_rate * dW."
    ): ("更新方向是往上坡走：它加上了 learning_rate * 梯度。梯度下降要减去它：W <- W - learning_rate * dW。"),
    (
        "{name} does not change at all in backward(): its gradient (d{name}) is never subtracted. Every "
        "parameter, biases included, gets W <- W - learning_rate * dW."
    ): (
        "{name} 在 backward() 中完全没有变化：它的梯度（d{name}）从未被减去。每个参数，包括偏置，"
        "都要做 W <- W - learning_rate * dW。"
    ),
    (
        "The update is the whole gradient, as if learning_rate were 1: multiply the gradient by the "
        "learning_rate argument."
    ): ("更新量是整个梯度，就好像学习率是 1：要把梯度乘以参数 learning_rate。"),
    (
        "The update used the learning rate 0.01, but backward() was called with learning_rate={lr}: use "
        "the argument, not a fixed number."
    ): (
        "更新用的学习率是 0.01，但调用 backward() 时 learning_rate={lr}：请使用这个参数，而不是一个固定的数。"
    ),
    (
        "The gradient is rnn_core's divided by T={steps}: the loss is a sum over time steps, so the "
        "gradients are summed over t (dW += ...), not averaged."
    ): (
        "这个梯度是 rnn_core 的梯度除以 T={steps}：损失是对各时间步求和，所以梯度要对 t 求和（dW += "
        "...），而不是取平均。"
    ),
    (
        "The weights change inside the time loop: add up the gradients over all t first, then update "
        "every parameter once, after the loop."
    ): ("权重在时间循环内部就改变了：先把所有 t 的梯度加起来，然后在循环之后把每个参数更新一次。"),
    (
        "dW_hh must use the state that entered step t, h_{t-1} = last_hiddens[t], not h_t = "
        "last_hiddens[t+1]: dW_hh += dh_raw h_{t-1}^T."
    ): (
        "dW_hh 必须使用进入时间步 t 的状态 h_{t-1} = last_hiddens[t]，而不是 h_t = last_hiddens[t+1]："
        "dW_hh += dh_raw h_{t-1}^T。"
    ),
    (
        "The gradient coming back from later time steps is missing: dh = W_hy^T dy + dh_next, and after "
        "step t set dh_next = W_hh^T dh_raw for step t-1."
    ): (
        "缺少从后面时间步传回的梯度：dh = W_hy^T dy + dh_next，并且在时间步 t 之后为时间步 t-1 设置 "
        "dh_next = W_hh^T dh_raw。"
    ),
    (
        "The gradients were clipped (each entry kept within +-{clip:g}): this backward() applies no "
        "clipping; the update uses the whole gradient, W <- W - learning_rate * dW."
    ): (
        "梯度被裁剪了（每个元素限制在 +-{clip:g} 之内）：这个 backward() 不做梯度裁剪；"
        "更新使用整个梯度，W <- W - learning_rate * dW。"
    ),
    (
        "forward() gave other results when called again on the same model with the same weights: it keeps "
        "state from the previous call. Start every call from h = 0 and a new last_hiddens = [h] (a local "
        "h, not self.h carried over)."
    ): (
        "在同一个模型上用相同的权重再次调用 forward() 时，结果不同：它保留了上一次调用的状态。"
        "每次调用都要从 h = 0 和新的 last_hiddens = [h] 开始（用局部变量 h，而不是沿用 self.h）。"
    ),
    (
        "backward() gave another update when called again on the same model with the same weights and the "
        "same forward(): it keeps state from the previous call. Start every call from zero gradients and "
        "dh_next = 0 (local variables, not attributes kept on self)."
    ): (
        "在同一个模型上用相同的权重和相同的 forward() 再次调用 backward() 时，更新不同："
        "它保留了上一次调用的状态。每次调用都要从零梯度和 dh_next = 0 开始（用局部变量，而不是保存在 "
        "self 上的属性）。"
    ),
    (
        "A precision difference, not a wrong formula: {why}, which keeps about 7 significant digits; the "
        "checker compares with rnn_core in float64 (about 16) and counts this as wrong. Keep NumPy's "
        "default float64: no dtype=np.float32 or .astype(np.float32)."
    ): (
        "这是精度差异，不是公式错误：{why}，它只保留约 7 位有效数字；检查器用 float64（约 16 位）与 "
        "rnn_core 比较，并把这算作错误。请保持 NumPy 默认的 float64：不要用 dtype=np.float32 或 "
        ".astype(np.float32)。"
    ),
    "The tanh derivative is missing: dh_raw = (1 - h_t^2) * dh, with h_t = last_hiddens[t+1].": (
        "缺少 tanh 的导数：dh_raw = (1 - h_t^2) * dh，其中 h_t = last_hiddens[t+1]。"
    ),
    # rnn_check.check's own messages (student)
    "check() needs your SimpleRNN class (or a model made from it), but it got {kind}.": (
        "check() 需要你的 SimpleRNN 类（或由它创建的模型），但它得到的是 {kind}。"
    ),
    "This is rnn_core.SimpleRNN (the reference), not your own class: pass your SimpleRNN.": (
        "这是 rnn_core.SimpleRNN（参考实现），不是你自己的类：请传入你的 SimpleRNN。"
    ),
    "the checker itself failed ({kind}: {error}); please tell your teacher, and include this message.": (
        "检查器本身出错了（{kind}：{error}）；请告诉老师，并附上这条信息。"
    ),
    # What the sandboxed child reports (rnn_check.child.CHILD_TEMPLATES; its records name the template)
    "is a {kind} that is not an array of numbers ({error})": "是一个 {kind}，不是由数构成的数组（{error}）",
    "has {count} numbers, far more than expected": "有 {count} 个数，远多于应有的数量",
    "is missing": "不存在",
    "is a {kind}, not a NumPy array": "是一个 {kind}，不是 NumPy 数组",
    "the code called exit() / sys.exit({code})": "代码调用了 exit() / sys.exit({code})",
    "(a message that cannot be shown)": "（一条无法显示的信息）",
    # The sandbox's reasons and refusals (sandbox; reworded)
    "took longer than the time limit of {seconds:g} s": "运行时间超过了 {seconds:g} 秒的时间限制",
    "took longer than the time limit of {seconds:g} s (CPU time)": (
        "运行时间超过了 {seconds:g} 秒的时间限制（CPU 时间）"
    ),
    ("the process was killed by signal {name} before it returned results (over the time or memory limit?)"): (
        "进程在返回结果之前被信号 {name} 终止（超过了时间或内存限制？）"
    ),
    ("the process ended (exit code {code}) before returning its results: does the code call os._exit()?"): (
        "进程在返回结果之前就结束了（退出码 {code}）：代码是否调用了 os._exit()？"
    ),
    "its results could not be read (did it write into the grader's channel?)": (
        "无法读取它的结果（它是否向评分器的通道写入了内容？）"
    ),
    "returned far more data than any answer needs": "返回的数据远多于任何答案所需",
    "the submission {overflow}": "该提交{overflow}",
    "filled its scratch folder past the limit ({entries} entries, {megabytes} MB)": (
        "把临时文件夹填得超过了限制（{entries} 个条目，{megabytes} MB）"
    ),
    "a file whose name the grader does not show": "一个评分器不显示其名称的文件",
    "writing {path}": "写入 {path}",
    "creating more than {files} files or {entries} files, folders and renames": (
        "创建超过 {files} 个文件，或超过 {entries} 个文件、文件夹和重命名"
    ),
    "reading {path} (outside the Python installation and its scratch folder)": (
        "读取 {path}（在 Python 安装目录及其临时文件夹之外）"
    ),
    "read {path}": "读取 {path}",
    "opening the folder {path}": "打开文件夹 {path}",
    # Grading a class (grading): a submission's problems, the feedback, the summary
    "could not be read ({reason})": "无法读取（{reason}）",
    "is not a readable Jupyter notebook (.ipynb)": "不是可读取的 Jupyter 笔记本（.ipynb）",
    "is {size} bytes, more than the {limit} allowed": "有 {size} 字节，超过了允许的 {limit} 字节",
    "the file {problem}.": "该文件{problem}。",
    "could not be graded ({kind}: {error})": "无法评分（{kind}：{error}）",
    "syntax error: {message}": "语法错误：{message}",
    "the code calls exit() / sys.exit() while loading, which ends the program": (
        "代码在加载时调用了 exit() / sys.exit()，这会结束程序"
    ),
    "ran out of memory while loading (MemoryError)": "加载时内存不足（MemoryError）",
    "loading the code raised {kind}: {message}": "加载代码时引发了 {kind}：{message}",
    (
        " (the grading sandbox can load a module only if the file imports it by name, with an import line "
        "of its own)"
    ): ("（只有当文件用单独的 import 语句按名称导入某个模块时，评分沙箱才能加载它）"),
    " (at {where}: {code})": "（位于{where}：{code}）",
    "defines no SimpleRNN class": "没有定义 SimpleRNN 类",
    " (found {name}: names are case-sensitive)": "（找到了 {name}：名称区分大小写）",
    " (it defines: {names})": "（它定义了：{names}）",
    "code cell {cell}": "第 {cell} 个代码单元格",
    " (at {where})": "（位于{where}）",
    (" (Note: {where} raised {kind}: {message}; graded the last SimpleRNN defined by the cells that ran.)"): (
        "（注意：{where}引发了 {kind}：{message}；评分的是已运行的单元格中最后定义的 SimpleRNN。）"
    ),
    ("Grading {total} submission(s) with {jobs} parallel job(s); limits {seconds:g} s, {memory} MB each."): (
        "正在评分 {total} 份提交，并行任务数 {jobs}；每份限制 {seconds:g} 秒、{memory} MB。"
    ),
    "the user nobody": "用户 nobody",
    "your own user (run as root, e.g. in CI, to use `nobody`)": (
        "你自己的用户（以 root 运行，例如在 CI 中，才会使用 `nobody`）"
    ),
    "on": "已开启",
    "not available on this system": "此系统上不可用",
    "Each submission runs in its own process as {user}; kernel file guard (Landlock): {guard}.": (
        "每份提交在自己的进程中运行，运行身份：{user}；内核文件保护（Landlock）：{guard}。"
    ),
    (
        "Warning: the grader's own {changed} changed during grading (set back where the system allows); "
        "grades of submissions that ran at the time may have been slowed."
    ): (
        "警告：评分器自身的 {changed} 在评分期间被改变了（在系统允许的范围内已恢复）；"
        "当时正在运行的提交的评分可能被拖慢了。"
    ),
    (
        "Hidden case (drawn at grading time): {case}; seed {seed} (--hidden-seed {seed} grades the same "
        "way again)."
    ): ("隐藏用例（评分时抽取）：{case}；种子 {seed}（用 --hidden-seed {seed} 可以同样地再评一次）。"),
    "Wrote one feedback file per submission in {folder}.": "已在 {folder} 中为每份提交写了一个反馈文件。",
    "Wrote {path}.": "已写入 {path}。",
    "Graded {total} submission(s) in {seconds:.1f} s: {counts}.": (
        "用 {seconds:.1f} 秒评完了 {total} 份提交：{counts}。"
    ),
    "Scores out of {max_score}: mean {mean:.1f}, lowest {lowest}, highest {highest}.": (
        "得分（满分 {max_score}）：平均 {mean:.1f}，最低 {lowest}，最高 {highest}。"
    ),
    "Score histogram:": "得分直方图：",
    "Failed, per part (wrong / not checked):": "各部分未通过的数量（错误 / 未检查）：",
    "First problems found (a submission counts once):": "发现的第一个问题（每份提交只计一次）：",
    "# Feedback on {name}": "# 关于 {name} 的反馈",
    "Student: {student}": "学生：{student}",
    "Score: {score}": "得分：{score}",
    "**{score}/{max_score}** ({status})": "**{score}/{max_score}**（{status}）",
    "Not graded: {feedback}": "未评分：{feedback}",
    "| Part | Result |": "| 部分 | 结果 |",
    "right": "正确",
    "**wrong**": "**错误**",
    "not checked (an earlier part failed)": "未检查（前面的部分有错）",
    "All checks passed: forward and BPTT + SGD match rnn_core on every case.": (
        "全部检查通过：在每个用例上，前向传播和时间反向传播 + SGD 都与 rnn_core 一致。"
    ),
    # Gradescope (gradescope) and the command line (__main__)
    "{status}: {score}/{max_score}. {feedback}": "{status}：{score}/{max_score}。{feedback}",
    "Right on every case.": "在每个用例上都正确。",
    "Not checked: an earlier part failed, so this part could not be reached.": (
        "未检查：前面的部分有错，所以没有检查到这一部分。"
    ),
    (
        "found {count} files to grade ({names}), but Gradescope grades one submission: submit one .py "
        "file or one notebook (.ipynb)."
    ): (
        "找到了 {count} 个要评分的文件（{names}），但 Gradescope 只评一份提交：请提交一个 .py "
        "文件或一个笔记本（.ipynb）。"
    ),
    "Wrote {path} ({count} files): upload it as the assignment's autograder on Gradescope.": (
        "已写入 {path}（{count} 个文件）：请在 Gradescope 上把它作为该作业的自动评分器上传。"
    ),
    "Wrote {path}: {count} unusually close pair(s) to look at.": (
        "已写入 {path}：有 {count} 对异常相似的提交需要查看。"
    ),
    # The notebooks' exercises (rnn_check.exercises): the verdict's own words
    "Exercise {key}: not answered yet. Put your answer in place of None, then run the cell.": (
        "练习 {key}：还没有作答。把 None 换成你的答案，然后运行这个单元格。"
    ),
    "Exercise {key}: right.": "练习 {key}：正确。",
    "Exercise {key}: not yet right. {message}": "练习 {key}：还不对。{message}",
    "{given} is not the answer.": "{given} 不是答案。",
    "the answer is numbers, but you gave a {kind}.": "答案是数，但你给出的是 {kind}。",
    "your answer has shape {shape}, but the answer has shape {expected}.": (
        "你的答案的形状是 {shape}，但答案的形状是 {expected}。"
    ),
    "your answer contains NaN or infinite values.": "你的答案含有 NaN 或无穷大的值。",
    "the entry at index {index} ({value:.6g}) is too large.": "索引 {index} 处的元素（{value:.6g}）太大了。",
    "the entry at index {index} ({value:.6g}) is too small.": "索引 {index} 处的元素（{value:.6g}）太小了。",
    "your number ({value:.6g}) is too large.": "你的数（{value:.6g}）太大了。",
    "your number ({value:.6g}) is too small.": "你的数（{value:.6g}）太小了。",
    "The answer should be {form}.": "答案应当是{form}。",
    "there is no exercise {key}; the exercises are {keys}.": "没有练习 {key}；现有的练习是 {keys}。",
    # The notebooks' exercises: their forms and hints (rnn_check/exercises/ex*.py)
    "three numbers, h_0, h_1, h_2, e.g. np.array([..., ..., ...])": (
        "三个数 h_0、h_1、h_2，例如 np.array([..., ..., ...])"
    ),
    "These are the values before tanh: h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h).": (
        "这些是 tanh 之前的值：h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)。"
    ),
    "h_1 and h_2 are 0: the state of the previous step is missing (the term W_hh h_{t-1}).": (
        "h_1 和 h_2 是 0：缺少上一个时间步的状态（W_hh h_{t-1} 这一项）。"
    ),
    "That is tan, not tanh: use np.tanh (the hyperbolic tangent).": (
        "那是 tan，不是 tanh：请用 np.tanh（双曲正切）。"
    ),
    "an array of shape (20, 8): one row per time step, h_0 to h_19, without the zero start state": (
        "一个形状为 (20, 8) 的数组：每个时间步一行，从 h_0 到 h_19，不含零初始状态"
    ),
    (
        "x[:, ::-1] swaps the two inputs (sine and cosine) at every step. Reverse the order of the time "
        "steps instead: x[::-1] (the first axis of x is time)."
    ): (
        "x[:, ::-1] 在每个时间步交换了两个输入（正弦和余弦）。应当反转时间步的顺序：x[::-1]（x "
        "的第一个轴是时间）。"
    ),
    (
        "These states come from the original W_hh. Set W_hh to zero first: dict(params, "
        "W_hh=np.zeros_like(params['W_hh']))."
    ): ("这些状态来自原来的 W_hh。先把 W_hh 设为零：dict(params, W_hh=np.zeros_like(params['W_hh']))。"),
    "Leave out the zero start state hiddens[0]: the answer has T rows, h_0 to h_{T-1} (hiddens[1:]).": (
        "去掉零初始状态 hiddens[0]：答案有 T 行，从 h_0 到 h_{T-1}（hiddens[1:]）。"
    ),
    "one whole number": "一个整数",
    (
        "That is the answer in float32 (about 7 digits). NumPy's default, float64, keeps about 16 digits, "
        "so tanh(a) stays below 1.0 for larger a."
    ): (
        "那是 float32 下的答案（约 7 位数字）。NumPy 默认的 float64 保留约 16 位数字，所以对更大的 a，"
        "tanh(a) 仍小于 1.0。"
    ),
    (
        "A value rounded to 4 digits shows 1.0 long before the value itself is 1.0. Test np.tanh(a) == "
        "1.0 for a = 0, 1, 2, ... without rounding."
    ): (
        "舍入到 4 位的值早在它本身等于 1.0 之前就显示为 1.0。不要舍入，对 a = 0, 1, 2, ... 检验 "
        "np.tanh(a) == 1.0。"
    ),
    "8 numbers, one per time step, e.g. np.array([...]) of shape (8,)": (
        "8 个数，每个时间步一个，例如形状为 (8,) 的 np.array([...])"
    ),
    (
        "That is dy for the loss with the 1/2. Without it, the 2 that differentiating u^2 brings down is "
        "not cancelled."
    ): ("那是带 1/2 的损失的 dy。没有 1/2 时，对 u^2 求导得到的因子 2 不会被消掉。"),
    (
        "The sign is flipped: the derivative of (ŷ_t - y_t)^2 with respect to the prediction ŷ_t is 2 "
        "(ŷ_t - y_t), prediction minus target."
    ): ("符号反了：(ŷ_t - y_t)^2 对预测 ŷ_t 的导数是 2 (ŷ_t - y_t)，即预测减目标。"),
    ("Removing the 1/2 from the loss makes the gradient larger, not smaller: multiply by 2, don't divide."): (
        "去掉损失中的 1/2 会让梯度变大，而不是变小：要乘以 2，不要除。"
    ),
    "an array of shape (O, H) = (1, 4), like params['W_hy']": (
        "一个形状为 (O, H) = (1, 4) 的数组，与 params['W_hy'] 相同"
    ),
    (
        "All zeros: you used hiddens[0], the zero start state h_{-1}. The state after step 0 is h_0 = "
        "hiddens[1]."
    ): ("全是零：你用了 hiddens[0]，即零初始状态 h_{-1}。时间步 0 之后的状态是 h_0 = hiddens[1]。"),
    (
        "Your array is the transpose: the outer product is dy_0 h_0^T, with dy_0 of shape (1, 1) on the "
        "left, so the result has the shape of W_hy, (O, H)."
    ): (
        "你的数组是转置：外积是 dy_0 h_0^T，形状为 (1, 1) 的 dy_0 在左边，所以结果的形状与 W_hy 相同，"
        "为 (O, H)。"
    ),
    ("That is dW_hy of the whole sequence (T = 8). The exercise uses only the first step: x[:1], y[:1]."): (
        "那是整个序列（T = 8）的 dW_hy。这个练习只用第一个时间步：x[:1]、y[:1]。"
    ),
    (
        "You multiplied h_0 by the target y_0. The factor is the error dy_0 = prediction - target "
        "(outputs[0] - ys[0])."
    ): ("你把 h_0 乘以了目标 y_0。这个因子应是误差 dy_0 = 预测 - 目标（outputs[0] - ys[0]）。"),
    (
        "That is 2 * dW_hy, but dW_hy does not double: dy_t = prediction - 2 * target, and only the "
        "target part of dy_t doubles. The predictions do not change."
    ): ("那是 2 * dW_hy，但 dW_hy 并不会加倍：dy_t = 预测 - 2 * 目标，dy_t 中只有目标那部分加倍。预测不变。"),
    "That is dW_hy with the original targets. Pass 2 * y to rnn_core.gradients.": (
        "那是用原来的目标算出的 dW_hy。请把 2 * y 传给 rnn_core.gradients。"
    ),
    "You doubled the inputs x, not the targets y: rnn_core.gradients(params, x, 2 * y).": (
        "你加倍的是输入 x，而不是目标 y：rnn_core.gradients(params, x, 2 * y)。"
    ),
    "two numbers, first for h_t = 0.99, then for h_t = 0.1, e.g. np.array([..., ...])": (
        "两个数，先是 h_t = 0.99 的，然后是 h_t = 0.1 的，例如 np.array([..., ...])"
    ),
    "You used 1 - h_t. The slope of tanh is 1 - h_t**2: square h_t first.": (
        "你用了 1 - h_t。tanh 的斜率是 1 - h_t**2：先把 h_t 平方。"
    ),
    "You applied tanh to h_t again. h_t is already tanh(a_t), so the slope is simply 1 - h_t**2.": (
        "你又对 h_t 用了一次 tanh。h_t 已经是 tanh(a_t)，所以斜率就是 1 - h_t**2。"
    ),
    "That is h_t**2. The slope is 1 - h_t**2: a unit near 1 (saturated) passes almost nothing.": (
        "那是 h_t**2。斜率是 1 - h_t**2：接近 1 的单元（饱和）几乎什么都传不过去。"
    ),
    "an array of shape (H, 1) = (4, 1), like dh_prev in section 6": (
        "一个形状为 (H, 1) = (4, 1) 的数组，与第 6 节中的 dh_prev 相同"
    ),
    (
        "dh must add the gradient from the future: dh = W_hy.T @ dy + dh_next, with dh_next = "
        "trace.dh_next[6] for step 6."
    ): ("dh 必须加上来自未来的梯度：dh = W_hy.T @ dy + dh_next，对时间步 6 有 dh_next = trace.dh_next[6]。"),
    "The factor (1 - h_t**2) is missing: dh_prev = W_hh.T @ dh_raw, with dh_raw = (1 - h_t**2) * dh.": (
        "缺少因子 (1 - h_t**2)：dh_prev = W_hh.T @ dh_raw，其中 dh_raw = (1 - h_t**2) * dh。"
    ),
    "Going back through W_hh uses its transpose: dh_prev = W_hh.T @ dh_raw, not W_hh @ dh_raw.": (
        "经过 W_hh 往回传要用它的转置：dh_prev = W_hh.T @ dh_raw，而不是 W_hh @ dh_raw。"
    ),
    "That is dh_prev of step 3, the step of the notebook. Set t = 6 and run sections 3 to 7 again.": (
        "那是时间步 3（笔记本中的那一步）的 dh_prev。设 t = 6，再运行一遍第 3 到第 7 节。"
    ),
    "one number, the value of errors['dW_hh']": "一个数，即 errors['dW_hh'] 的值",
    (
        "That error is tiny, so the factor is still in: write dh_raw = dh in section 5's cell, then run "
        "the cells of sections 5, 6 and 7 again, in that order."
    ): (
        "这个误差很小，说明那个因子还在：在第 5 节的单元格中写 dh_raw = dh，然后按顺序再运行第 5、6、"
        "7 节的单元格。"
    ),
    (
        "That is the error at step t = 6 (exercise 2's step). Set t = 3 in section 3's cell and run "
        "sections 3 to 7 again, with dh_raw = dh in section 5."
    ): (
        "那是时间步 t = 6（练习 2 的那一步）的误差。在第 3 节的单元格中设 t = 3，并在第 5 节中写 "
        "dh_raw = dh，再运行一遍第 3 到第 7 节。"
    ),
    "That is the error of dh_prev: the exercise asks for errors['dW_hh'].": (
        "那是 dh_prev 的误差：这个练习问的是 errors['dW_hh']。"
    ),
    "an array of shape (H, H) = (4, 4), like params['W_hh']": (
        "一个形状为 (H, H) = (4, 4) 的数组，与 params['W_hh'] 相同"
    ),
    (
        "The gradient from the future is missing: dh = W_hy.T @ dy + dh_next, and after each step dh_next "
        "= W_hh.T @ dh_raw."
    ): ("缺少来自未来的梯度：dh = W_hy.T @ dy + dh_next，并且每个时间步之后 dh_next = W_hh.T @ dh_raw。"),
    "dW_hh uses the state that entered the step: dh_raw @ h_prev.T (hiddens[t]), not h_t.": (
        "dW_hh 使用进入这个时间步的状态：dh_raw @ h_prev.T（hiddens[t]），而不是 h_t。"
    ),
    "The tanh factor is missing: dh_raw = (1 - h_t**2) * dh.": (
        "缺少 tanh 的因子：dh_raw = (1 - h_t**2) * dh。"
    ),
    "Going back through W_hh uses its transpose: dh_next = W_hh.T @ dh_raw, not W_hh @ dh_raw.": (
        "经过 W_hh 往回传要用它的转置：dh_next = W_hh.T @ dh_raw，而不是 W_hh @ dh_raw。"
    ),
    "You divided by T. The loss is a sum over time, so the gradient is the plain sum of the terms.": (
        "你除以了 T。损失是对时间求和，所以梯度就是各项的简单求和。"
    ),
    "one whole number, from 0 to 8": "一个整数，从 0 到 8",
    (
        "Look again at the two ends. At the last step, t = 7, nothing comes back from after it (dh_next "
        "is zero anyway); at t = 0 the term dh_raw h_{-1}^T is zero whatever dh_raw is."
    ): (
        "再看看两端。在最后一个时间步 t = 7，没有东西从它之后传回来（dh_next 反正是零）；在 t = 0，"
        "无论 dh_raw 是什么，dh_raw h_{-1}^T 这一项都是零。"
    ),
    (
        "Look again at t = 0: its dW_hh term is dh_raw @ h_prev.T with h_prev = h_{-1} = 0, so it is zero "
        "for your step and for rnn_core's alike."
    ): (
        "再看看 t = 0：它的 dW_hh 项是 dh_raw @ h_prev.T，其中 h_prev = h_{-1} = 0，"
        "所以对你的时间步函数和 rnn_core 的都同样是零。"
    ),
    (
        "Did you pass your step to the stepper? Only rnn_viz.backward_stepper(params, x, y, "
        "step_back=my_step) shows your term minus rnn_core's in the middle column."
    ): (
        "你把你的时间步函数传给步进器了吗？只有 rnn_viz.backward_stepper(params, x, y, "
        "step_back=my_step) 会在中间一列显示你的项减去 rnn_core 的项。"
    ),
    (
        "Only one step? Count with the values, not the colours: compare rnn_core.gradients(params, x, y, "
        "step_back=my_step)[2].contributions['W_hh'][t] with trace.contributions['W_hh'][t] (np.allclose) "
        "at every t."
    ): (
        "只有一个时间步？要按数值数，而不是按颜色：在每个 t 上用 np.allclose 比较 "
        "rnn_core.gradients(params, x, y, step_back=my_step)[2].contributions['W_hh'][t] 与 "
        "trace.contributions['W_hh'][t]。"
    ),
    "one number": "一个数",
    "That is dL/dW_hh[0, 0]: the direct term still uses h_{t-1}[j]. For W_xh[i, j] it is e_i x_t[j].": (
        "那是 dL/dW_hh[0, 0]：直接项仍然用的是 h_{t-1}[j]。对 W_xh[i, j]，直接项是 e_i x_t[j]。"
    ),
    (
        "The term W_hh @ s is missing: h_t depends on W_xh directly and through h_{t-1}, so s_t = (1 - "
        "h_t**2) * (W_hh @ s_{t-1} + direct)."
    ): (
        "缺少 W_hh @ s 这一项：h_t 既直接依赖 W_xh，也通过 h_{t-1} 依赖它，所以 s_t = (1 - h_t**2) * "
        "(W_hh @ s_{t-1} + direct)。"
    ),
    "The tanh factor (1 - h_t**2) is missing in s_t = (1 - h_t**2) * (W_hh @ s_{t-1} + direct).": (
        "s_t = (1 - h_t**2) * (W_hh @ s_{t-1} + direct) 中缺少 tanh 的因子 (1 - h_t**2)。"
    ),
    "an array of shape (4, 4), like params['W_hh']": "一个形状为 (4, 4) 的数组，与 params['W_hh'] 相同",
    (
        "That is train.training_gradients' gradient, averaged over the 4 sequences. The loss that "
        "rnn_core.bptt and gradient_check differentiate is the sum over the sequences: multiply by B = 4."
    ): (
        "那是 train.training_gradients 的梯度，是对 4 个序列取平均的结果。rnn_core.bptt 和 "
        "gradient_check 求导的损失是对各序列求和：乘以 B = 4。"
    ),
    "That is the gradient of the first sequence only: use all four, X[:, :4] and Y[:, :4].": (
        "那只是第一个序列的梯度：四个都要用，X[:, :4] 和 Y[:, :4]。"
    ),
    "one whole number, an epoch between 1 and 600": "一个整数，即 1 到 600 之间的某一轮（epoch）",
    "Off by one: np.argmax gives the index counted from 0, but epoch 1 is history.losses[0].": (
        "差了一：np.argmax 给出的索引从 0 开始数，但第 1 轮是 history.losses[0]。"
    ),
    "That is the echo task with its default delay 2: pass delay=3 to tasks.make_task.": (
        "那是默认延迟为 2 的回声任务：请把 delay=3 传给 tasks.make_task。"
    ),
    (
        "That is the spectral radius rho cubed. The bound uses the largest singular value, sigma_max = "
        "np.linalg.norm(W_hh, 2), which is at least rho."
    ): (
        "那是谱半径 rho 的三次方。这个上界用的是最大奇异值 sigma_max = np.linalg.norm(W_hh, 2)，"
        "它至少等于 rho。"
    ),
    (
        "np.linalg.norm(W_hh) without ord is the Frobenius norm (all entries squared), larger than "
        "sigma_max: write np.linalg.norm(W_hh, 2)."
    ): (
        "不带 ord 的 np.linalg.norm(W_hh) 是 Frobenius 范数（所有元素的平方），比 sigma_max 大：请写 "
        "np.linalg.norm(W_hh, 2)。"
    ),
    "an array of shape (16, 16), like params['W_hh']": "一个形状为 (16, 16) 的数组，与 params['W_hh'] 相同",
    (
        "The second chunk starts from zero here. Its forward pass continues from the first chunk's last "
        "state: h0=h with h = rnn_core.forward_batch(params, X[:3])[0][-1]."
    ): (
        "这里第二段是从零开始的。它的前向传播应从第一段的最后状态继续：h0=h，其中 h = "
        "rnn_core.forward_batch(params, X[:3])[0][-1]。"
    ),
    (
        "That is full BPTT over the 6 steps: truncation sets dh_next to 0 at the chunk boundary, so run "
        "bptt on each chunk separately and add the two gradients."
    ): (
        "那是在 6 个时间步上的完整时间反向传播：截断在段的边界处把 dh_next 设为 0，"
        "所以要对每一段分别运行 bptt，再把两个梯度相加。"
    ),
    (
        "That is the second chunk's gradient alone: add the first chunk's, rnn_core.bptt(params, X[:3], "
        "Y[:3])."
    ): ("那只是第二段的梯度：再加上第一段的，rnn_core.bptt(params, X[:3], Y[:3])。"),
    "one number between 0 and 1": "一个 0 到 1 之间的数",
    (
        "Subtract the mean state first (centred = states - states.mean(axis=0)): without it the first "
        "direction points at the mean, not where the states vary most."
    ): (
        "先减去平均状态（centred = states - states.mean(axis=0)）：不减的话，第一个方向指向均值，"
        "而不是状态变化最大的方向。"
    ),
    (
        "Variance is the square of a singular value: the eigenvalues of centred.T @ centred are already "
        "squares, so divide the largest by the sum of all of them, not of their roots."
    ): (
        "方差是奇异值的平方：centred.T @ centred 的特征值已经是平方了，"
        "所以用最大的那个除以它们全部的和，而不是它们平方根的和。"
    ),
    (
        "That is the fraction of the first two directions' variance. Divide by the total variance, the "
        "sum of all 16 eigenvalues."
    ): ("那是占前两个方向方差的比例。应除以总方差，即全部 16 个特征值之和。"),
    (
        "That counts the k newer bits only. At step t the state must also still hold the bit x_{t-k} that "
        "the output gives now: k + 1 bits in all."
    ): ("那只数了较新的 k 位。在时间步 t，状态还必须保存输出此刻给出的那一位 x_{t-k}：一共 k + 1 位。"),
    "That is the number of bits the state holds. Each pattern of those bits needs its own group.": (
        "那是状态保存的位数。这些位的每一种组合都需要自己的一组。"
    ),
    "That is section 1's network, trained for delay 3: train a new one for delay 2.": (
        "那是第 1 节中为延迟 3 训练的网络：请为延迟 2 训练一个新的。"
    ),
    "three numbers, e.g. np.array([..., ..., ...])": "三个数，例如 np.array([..., ..., ...])",
    (
        "These are the probabilities p = softmax(s). The gradient is p minus the one-hot vector of the "
        "target: subtract 1 from the target's entry."
    ): ("这些是概率 p = softmax(s)。梯度是 p 减去目标的独热向量：在目标对应的元素上减 1。"),
    (
        "The sign is flipped: dL/ds = p - onehot(target), so the target's entry is negative (raising its "
        "score lowers the loss)."
    ): ("符号反了：dL/ds = p - onehot(target)，所以目标对应的元素是负的（提高它的分数会降低损失）。"),
    (
        "That is s - onehot(target), the squared error's gradient applied to the scores. With "
        "cross-entropy the scores go through the softmax first: p - onehot(target)."
    ): (
        "那是 s - onehot(target)，即把平方误差的梯度用在分数上。用交叉熵时，分数要先经过 softmax：p - "
        "onehot(target)。"
    ),
    "That is the mean cross-entropy in nats. Perplexity is exp of it.": (
        "那是以 nat 为单位的平均交叉熵。困惑度是它的 exp。"
    ),
    (
        "exp of the *summed* cross-entropy grows with the length of the text. Perplexity uses the mean "
        "per character."
    ): ("*求和的*交叉熵的 exp 会随文本长度增长。困惑度用的是每个字符的平均值。"),
    (
        "1 / (mean probability) averages the probabilities. Perplexity averages their logarithms: "
        "exp(mean of -ln p), the inverse of their geometric mean."
    ): (
        "1 / (平均概率) 是对概率取平均。困惑度是对它们的对数取平均：exp(-ln p 的平均值)，"
        "即它们几何平均的倒数。"
    ),
    ("That is the cross-entropy in bits. Perplexity is 2 to that power (or e to the power of it in nats)."): (
        "那是以比特为单位的交叉熵。困惑度是 2 的这个次方（若以 nat 为单位，则是 e 的这个次方）。"
    ),
    "three numbers that sum to 1": "三个和为 1 的数",
    ("That is softmax(s), the distribution at temperature 1. Divide the scores by the temperature first."): (
        "那是 softmax(s)，即温度为 1 时的分布。请先把分数除以温度。"
    ),
    (
        "The scores were multiplied by the temperature. They are divided by it: a temperature below 1 "
        "sharpens the distribution."
    ): ("分数被乘以了温度。应当除以温度：低于 1 的温度会让分布更尖锐。"),
    (
        "softmax(s) / temperature is not a distribution (it sums to more than 1). The temperature divides "
        "the scores, before the softmax."
    ): ("softmax(s) / temperature 不是一个分布（它的和大于 1）。温度是在 softmax 之前去除分数的。"),
    "The forget gate is sigma(b_f), not b_f itself: one step back multiplies by f = sigma(1).": (
        "遗忘门是 sigma(b_f)，而不是 b_f 本身：往回一个时间步要乘以 f = sigma(1)。"
    ),
    "20 steps back is 20 factors f, one per step between c_{T-21} and c_{T-1}; you have 21.": (
        "往回 20 个时间步就是 20 个因子 f，c_{T-21} 与 c_{T-1} 之间每个时间步一个；你用了 21 个。"
    ),
    "That is sigma(0)^20 = 0.5^20: the bias here is b_f = 1.": (
        "那是 sigma(0)^20 = 0.5^20：这里的偏置是 b_f = 1。"
    ),
    "That is the LSTM's count: a GRU has three gate layers (r, z and the candidate n), not four.": (
        "那是 LSTM 的数量：GRU 有三个门层（r、z 和候选 n），不是四个。"
    ),
    "Add the read-out y_t = W_hy h_t + b_y: O(H + 1) more parameters.": (
        "加上读出层 y_t = W_hy h_t + b_y：多 O(H + 1) 个参数。"
    ),
    "Each of the three gate layers has its own bias vector of H entries.": (
        "三个门层各有自己的、含 H 个元素的偏置向量。"
    ),
    "torch.nn.GRU keeps two bias vectors per gate layer (b_ih and b_hh); here there is one.": (
        "torch.nn.GRU 每个门层有两个偏置向量（b_ih 和 b_hh）；这里只有一个。"
    ),
    "one number (the bias, not the gate value)": "一个数（偏置，而不是门的值）",
    (
        "That is the forget gate f = 0.5^(1/20); the bias is the b_f with sigma(b_f) = f: b_f = log(f / "
        "(1 - f))."
    ): ("那是遗忘门 f = 0.5^(1/20)；偏置是满足 sigma(b_f) = f 的 b_f：b_f = log(f / (1 - f))。"),
    "sigma(0) = 1/2 keeps half over ONE step; over 20 steps you need sigma(b_f)^20 = 1/2.": (
        "sigma(0) = 1/2 在一个时间步内保留一半；要在 20 个时间步内保留一半，需要 sigma(b_f)^20 = 1/2。"
    ),
}

MESSAGES |= DIAGNOSIS_LABELS  # the first problems' labels: rnn_check/diagnoses_zh.py
